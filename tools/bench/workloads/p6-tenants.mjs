// P6: many tenant binds sharing one branch of 20 revisions (each creating a table).
// Alembic has no multi-tenant mode, so each case names the fairest Alembic setup it is run as:
//   one tenant alone: multidb `upgrade tenant7` in a config of all tenants vs Alembic on that
//     tenant's URL (-x url=...);
//   all SQLite tenants, --concurrency 4 vs `xargs -P 4` running one Alembic process per tenant;
//   all PostgreSQL tenants, --concurrency 1 vs one Alembic process whose env.py loops over the
//     URLs (BENCH_URLS).
// Every run starts from empty tenant databases (reset untimed).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alembicCmd, appliedCheck, createTableRevision, migrateCmd, revId, writeAlembicProject, writeMultidbProject } from '../lib/projects.mjs';
import { databaseUrl, POSTGRES_URL, serverDatabases } from '../lib/servers.mjs';

export default {
  id: 'P6',
  title: 'tenants: 200 SQLite / 50 PostgreSQL tenant binds × 20 revisions',
  sizes: { full: { sqliteTenants: 200, pgTenants: 50, revisions: 20 }, tiny: { sqliteTenants: 3, pgTenants: 2, revisions: 2 } },
  async setup(dir, size, { want }) {
    const revs = Array.from({ length: size.revisions }, (_, i) => createTableRevision(i));
    const pgDbs = serverDatabases('postgres');
    const one = Math.min(7, size.sqliteTenants - 1, size.pgTenants - 1);
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const cases = [];
    const last = revId(size.revisions - 1);

    // SQLite tenants: files tenants/tenant<i>.db in each project.
    const sm = join(dir, 'sqlite', 'multidb');
    const sa = join(dir, 'sqlite', 'alembic');
    const N = size.sqliteTenants;
    writeMultidbProject(sm, {
      binds: `Object.fromEntries(Array.from({ length: ${N} }, (_, i) => ['tenant' + i, { url: 'sqlite:tenants/tenant' + i + '.db', branch: 'tenant' }]))`,
      branch: 'tenant',
      revisions: revs.map((r) => r.multidb),
    });
    const sqliteUrls = Array.from({ length: N }, (_, i) => `sqlite:///${join(sa, 'tenants', `tenant${i}.db`)}`);
    if (want('alembic')) {
      writeAlembicProject(sa, { url: sqliteUrls[0], revisions: revs.map((r) => r.alembic) });
      mkdirSync(join(sa, 'tenants'), { recursive: true });
      writeFileSync(join(sa, 'urls.txt'), `${sqliteUrls.join('\n')}\n`);
    }
    const resetSqlite = (p) => () => { rmSync(join(p, 'tenants'), { recursive: true, force: true }); mkdirSync(join(p, 'tenants')); };
    cases.push({
      name: `P6 one tenant alone in a ${N}-tenant SQLite config (${size.revisions} revisions)`,
      tools: {
        multidb: { cwd: sm, env: { TMPDIR: tmp }, cmd: migrateCmd('upgrade', `tenant${one}`), prepare: resetSqlite(sm), check: appliedCheck(last) },
        alembic: { cwd: sa, cmd: alembicCmd(sa, '-x', `url=${sqliteUrls[one]}`, 'upgrade', 'head'), prepare: resetSqlite(sa), check: appliedCheck(last) },
      },
      ratios: [{ of: 'multidb', to: 'alembic', target: 1.0 }],
    });
    cases.push({
      name: `P6 ${N} SQLite tenants × ${size.revisions} revisions, --concurrency 4 vs Alembic xargs -P 4`,
      tools: {
        multidb: { cwd: sm, env: { TMPDIR: tmp }, cmd: migrateCmd('upgrade', '--concurrency', '4'), prepare: resetSqlite(sm), check: appliedCheck(last, N) },
        'alembic (xargs -P 4)': {
          cwd: sa,
          cmd: ['sh', '-c', `xargs -P 4 -I{} ${alembicCmd(sa).join(' ')} -x url={} upgrade head < urls.txt`],
          prepare: resetSqlite(sa),
          check: appliedCheck(last, N),
        },
      },
      ratios: [{ of: 'multidb', to: 'alembic (xargs -P 4)', target: 0.1 }],
    });

    // PostgreSQL tenants: one database each, shared by both tools (emptied before every run).
    const P = size.pgTenants;
    const names = await pgDbs.create(P);
    const pm = join(dir, 'postgres', 'multidb');
    const pa = join(dir, 'postgres', 'alembic');
    const pgProject = (dir, options) =>
      writeMultidbProject(dir, {
        binds: `Object.fromEntries(${JSON.stringify(names.map((d) => databaseUrl(POSTGRES_URL, d)))}.map((url, i) => ['tenant' + i, { url, branch: 'tenant' }]))`,
        branch: 'tenant',
        revisions: revs.map((r) => r.multidb),
        options,
      });
    pgProject(pm);
    // The same tenants with Alembic's transaction layout (one transaction per bind for the run,
    // Alembic's default on PostgreSQL): shown beside the default, which commits each revision.
    const pmRun = join(dir, 'postgres', 'multidb-per-run');
    if (want('alembic')) pgProject(pmRun, "  transactionMode: 'per-run',\n");
    const pgUrls = names.map((d) => databaseUrl(POSTGRES_URL, d, 'postgresql+psycopg2'));
    if (want('alembic')) writeAlembicProject(pa, { url: pgUrls[0], revisions: revs.map((r) => r.alembic) });
    const resetOne = () => pgDbs.reset(names[one]);
    const resetAll = async () => { for (const d of names) await pgDbs.reset(d); };
    cases.push({
      name: `P6 one tenant alone in a ${P}-tenant PostgreSQL config (${size.revisions} revisions)`,
      tools: {
        multidb: { cwd: pm, env: { TMPDIR: tmp }, cmd: migrateCmd('upgrade', `tenant${one}`), prepare: resetOne, check: appliedCheck(last) },
        alembic: { cwd: pa, cmd: alembicCmd(pa, '-x', `url=${pgUrls[one]}`, 'upgrade', 'head'), prepare: resetOne, check: appliedCheck(last) },
      },
      ratios: [{ of: 'multidb', to: 'alembic', target: 1.0 }],
    });
    cases.push({
      name: `P6 ${P} PostgreSQL tenants × ${size.revisions} revisions, --concurrency 1 vs one Alembic process looping over URLs`,
      tools: {
        multidb: { cwd: pm, env: { TMPDIR: tmp }, cmd: migrateCmd('upgrade', '--concurrency', '1'), prepare: resetAll, check: appliedCheck(last, P) },
        // Beside Alembic only (a comparison of transaction layouts, not a multidb case of its own).
        ...(want('alembic') ? { 'multidb (per-run transaction)': { cwd: pmRun, env: { TMPDIR: tmp }, cmd: migrateCmd('upgrade', '--concurrency', '1'), prepare: resetAll, check: appliedCheck(last, P) } } : {}),
        'alembic (one process, URL loop)': { cwd: pa, env: { BENCH_URLS: pgUrls.join(' ') }, cmd: alembicCmd(pa, 'upgrade', 'head'), prepare: resetAll, check: appliedCheck(last, P) },
      },
      ratios: [
        { of: 'multidb', to: 'alembic (one process, URL loop)', target: 0.7 },
        { of: 'multidb (per-run transaction)', to: 'alembic (one process, URL loop)' },
      ],
    });
    return { cases, cleanup: () => pgDbs.dropAll() };
  },
};
