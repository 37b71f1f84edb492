// Every workload of the performance issue, in order. Each module's default export is
// `{ id, title, sizes: { full, tiny }, setup(dir, size, { want }) → { cases, cleanup? } }`;
// a case is `{ name, tools: { [tool]: { cmd, cwd?, env?, prepare?, check? } }, ratios }`.
import p1 from './p1-startup.mjs';
import p2 from './p2-many-revisions.mjs';
import p3 from './p3-upgrade.mjs';
import p4 from './p4-autogenerate.mjs';
import p5 from './p5-batch.mjs';
import p6 from './p6-tenants.mjs';

export const WORKLOADS = [p1, p2, p3, p4, p5, p6];
