// P3: `upgrade` of 1,000 revisions, each creating a table, on SQLite, PostgreSQL and MariaDB,
// against Alembic (its generic env.py: one transaction for the run) and the floor (the same
// CREATE TABLE statements through the driver, one commit per statement). A second floor,
// "floor+version", adds what any tool that records each revision as it commits must send: the
// one-row UPDATE of a version table, in the revision's transaction (SQLite, PostgreSQL) or, where
// DDL commits implicitly (MariaDB), as a commit of its own. Plus the first run after a checkout on
// SQLite: multidb's transpile cache and Alembic's __pycache__ emptied.
// Every run starts from an empty database (reset untimed in `prepare`).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alembicCmd, appliedCheck, createTableRevision, migrateCmd, revId, tableName, writeAlembicProject, writeMultidbProject } from '../lib/projects.mjs';
import { databaseUrl, MYSQL_URL, POSTGRES_URL, serverDatabases } from '../lib/servers.mjs';

const FLOOR = fileURLToPath(new URL('../floor.mjs', import.meta.url));

export default {
  id: 'P3',
  title: 'upgrade 1,000 revisions creating a table each (SQLite, PostgreSQL, MariaDB)',
  sizes: { full: { revisions: 1000 }, tiny: { revisions: 5 } },
  async setup(dir, size, { want }) {
    const n = size.revisions;
    const revs = Array.from({ length: n }, (_, i) => createTableRevision(i));
    const pgDbs = serverDatabases('postgres');
    const myDbs = serverDatabases('mysql');
    const cases = [];
    const check = appliedCheck(revId(n - 1));
    const ddl = (q, i) => `CREATE TABLE ${q}${tableName(i)}${q} (${q}id${q} integer NOT NULL PRIMARY KEY, ${q}name${q} varchar(50))`;
    const floorFile = (kind, q) => {
      const f = join(dir, `floor-${kind}.json`);
      writeFileSync(f, JSON.stringify(Array.from({ length: n }, (_, i) => [ddl(q, i)])));
      return f;
    };
    // The version table made and given its row first (one transaction), then per revision the DDL
    // and the UPDATE: one transaction, or two autocommits where DDL commits implicitly (MySQL).
    const versionFloorFile = (kind, q) => {
      const f = join(dir, `floor-version-${kind}.json`);
      const v = `${q}floor_version${q}`;
      const update = (i) => `UPDATE ${v} SET ${q}version_num${q} = '${revId(i)}' WHERE ${q}version_num${q} = '${i === 0 ? '' : revId(i - 1)}'`;
      const perRevision = (i) => (kind === 'mysql' ? [[ddl(q, i)], [update(i)]] : [[ddl(q, i), update(i)]]);
      writeFileSync(f, JSON.stringify([[`CREATE TABLE ${v} (${q}version_num${q} varchar(32) NOT NULL PRIMARY KEY)`, `INSERT INTO ${v} VALUES ('')`], ...Array.from({ length: n }, (_, i) => perRevision(i)).flat()]));
      return f;
    };
    const floorRatios = [{ of: 'multidb', to: 'floor', target: 1.3 }, { of: 'multidb', to: 'floor+version' }, { of: 'floor+version', to: 'floor' }, { of: 'multidb', to: 'alembic' }, { of: 'alembic', to: 'floor' }];

    // SQLite: a database file per tool, deleted before each run.
    const sqlite = (label, cold) => {
      const base = join(dir, `sqlite${cold ? '-cold' : ''}`);
      const m = join(base, 'multidb');
      const a = join(base, 'alembic');
      const tmp = join(base, 'tmp');
      mkdirSync(tmp, { recursive: true });
      writeMultidbProject(m, { binds: `{ main: { url: 'sqlite:main.db' } }`, branch: 'main', revisions: revs.map((r) => r.multidb) });
      if (want('alembic')) writeAlembicProject(a, { url: `sqlite:///${join(a, 'main.db')}`, revisions: revs.map((r) => r.alembic) });
      const floorDb = join(base, 'floor.db');
      const tools = {
        multidb: {
          cwd: m,
          env: { TMPDIR: tmp },
          cmd: migrateCmd('upgrade'),
          check,
          prepare: (t) => {
            rmSync(join(m, 'main.db'), { force: true });
            if (cold) { rmSync(t.env.TMPDIR, { recursive: true, force: true }); mkdirSync(t.env.TMPDIR); }
          },
        },
        alembic: {
          cwd: a,
          cmd: alembicCmd(a, 'upgrade', 'head'),
          check,
          prepare: () => {
            rmSync(join(a, 'main.db'), { force: true });
            if (cold) rmSync(join(a, 'alembic', 'versions', '__pycache__'), { recursive: true, force: true });
          },
        },
      };
      if (!cold) {
        const statements = floorFile('sqlite', '"');
        tools.floor = { cmd: [process.execPath, FLOOR, 'sqlite', floorDb, statements], prepare: () => rmSync(floorDb, { force: true }) };
        tools['floor+version'] = { cmd: [process.execPath, FLOOR, 'sqlite', floorDb, versionFloorFile('sqlite', '"')], prepare: () => rmSync(floorDb, { force: true }) };
        // The floor is the driver's default journal mode (`delete`); multidb's run
        // connection keeps its journal file (`persist`): the same floor in that mode says how much
        // of multidb's distance to the floor is its own work rather than the journal's.
        tools['floor, journal kept'] = { cmd: [process.execPath, FLOOR, 'sqlite', floorDb, statements, '--journal', 'persist'], prepare: () => { for (const s of ['', '-journal']) rmSync(floorDb + s, { force: true }); } };
      }
      cases.push({
        name: `P3 upgrade ${n} revisions, ${label}`,
        tools,
        ratios: cold ? [{ of: 'multidb', to: 'alembic', target: 0.5 }] : [...floorRatios, { of: 'multidb', to: 'floor, journal kept' }],
      });
    };
    sqlite('SQLite', false);
    sqlite('SQLite, first run after checkout (empty transpile cache)', true);

    // PostgreSQL and MariaDB: one database per tool, emptied before each run.
    const server = async (label, kind, dbs, serverUrl, sqlaScheme, q) => {
      const [dm, da, df] = await dbs.create(3);
      const base = join(dir, kind);
      const m = join(base, 'multidb');
      const a = join(base, 'alembic');
      writeMultidbProject(m, { binds: `{ main: { url: ${JSON.stringify(databaseUrl(serverUrl, dm))} } }`, branch: 'main', revisions: revs.map((r) => r.multidb) });
      if (want('alembic')) writeAlembicProject(a, { url: databaseUrl(serverUrl, da, sqlaScheme), revisions: revs.map((r) => r.alembic) });
      cases.push({
        name: `P3 upgrade ${n} revisions, ${label}`,
        tools: {
          multidb: { cwd: m, env: { TMPDIR: join(dir, 'tmp') }, cmd: migrateCmd('upgrade'), check, prepare: () => dbs.reset(dm) },
          alembic: { cwd: a, cmd: alembicCmd(a, 'upgrade', 'head'), check, prepare: () => dbs.reset(da) },
          floor: { cmd: [process.execPath, FLOOR, kind, databaseUrl(serverUrl, df), floorFile(kind, q)], prepare: () => dbs.reset(df) },
          'floor+version': { cmd: [process.execPath, FLOOR, kind, databaseUrl(serverUrl, df), versionFloorFile(kind, q)], prepare: () => dbs.reset(df) },
        },
        ratios: floorRatios,
      });
    };
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    await server('PostgreSQL', 'postgres', pgDbs, POSTGRES_URL, 'postgresql+psycopg2', '"');
    await server('MariaDB', 'mysql', myDbs, MYSQL_URL, 'mysql+pymysql', '`');
    return { cases, cleanup: async () => { await pgDbs.dropAll(); await myDbs.dropAll(); } };
  },
};
