// P1: start-up. `heads` and `current` on a one-revision SQLite project, against Alembic and
// against `node -e 0` (the floor of any Node CLI).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { alembicCmd, createTableRevision, migrateCmd, writeAlembicProject, writeMultidbProject } from '../lib/projects.mjs';
import { runOnce } from '../lib/runner.mjs';

export default {
  id: 'P1',
  title: 'start-up: heads and current, 1 revision, SQLite',
  sizes: { full: { revisions: 1 }, tiny: { revisions: 1 } },
  async setup(dir, size, { want }) {
    const revs = Array.from({ length: size.revisions }, (_, i) => createTableRevision(i));
    const m = join(dir, 'multidb');
    const a = join(dir, 'alembic');
    writeMultidbProject(m, { binds: `{ main: { url: 'sqlite:main.db' } }`, branch: 'main', revisions: revs.map((r) => r.multidb) });
    const mdb = { cwd: m, env: { TMPDIR: join(dir, 'tmp') } };
    mkdirSync(join(dir, 'tmp'));
    await runOnce('setup', { ...mdb, cmd: migrateCmd('upgrade') });
    const tools = (cmdM, cmdA) => ({
      multidb: { ...mdb, cmd: migrateCmd(...cmdM), check: (out) => { if (!out.includes('(head)')) throw new Error(`no head in: ${out}`); } },
      ...(want('alembic') ? { alembic: { cwd: a, cmd: alembicCmd(a, ...cmdA), check: (out) => { if (!out.includes('(head)')) throw new Error(`no head in: ${out}`); } } } : {}),
      'node -e 0': { cmd: [process.execPath, '-e', '0'] },
    });
    if (want('alembic')) {
      writeAlembicProject(a, { url: `sqlite:///${join(a, 'main.db')}`, revisions: revs.map((r) => r.alembic) });
      await runOnce('setup', { cwd: a, cmd: alembicCmd(a, 'upgrade', 'head') });
    }
    const ratios = (target) => [
      { of: 'multidb', to: 'alembic', target },
      { of: 'multidb', to: 'node -e 0' },
    ];
    return {
      cases: [
        { name: 'P1 heads (1 revision, SQLite)', tools: tools(['heads'], ['heads']), ratios: ratios(0.4) },
        { name: 'P1 current (1 revision, SQLite)', tools: tools(['current'], ['current']), ratios: ratios(0.7) },
      ],
    };
  },
};
