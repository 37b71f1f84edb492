// Names of hand-written ops past a dialect's identifier limit (PostgreSQL 63 bytes, MySQL/MariaDB
// 64 characters) in the SQL preview and offline compile (compileRevision), and through the runner
// on every dialect in a revision whose op before the long name is fine. MySQL/MariaDB (which refuse
// such a name, after the revision's DDL before it committed implicitly): refused before anything of
// the long op is sent, the op before it kept and recorded, so that a re-run after the name is
// shortened resumes after it. PostgreSQL (which truncates it): run as written with a warning, so
// that an existing history replays. SQLite has no limit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands, compileRevision, DEFAULT_NAMING_CONVENTION, IdentifierTooLongError, loadEnvironment, MigrationError, type RevisionModule, type RevisionScript, type RunEvent } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { dialects } from '../src/registry.js';
import { DIALECTS } from './support/dialects.js';
import { offlineProject, revisionSource, type RevisionFile } from './support/offline-project.js';
import { q } from './support/op-harness.js';

const PAST_PG = `${'é'.repeat(30)}abcd`; // 64 bytes, 34 characters
const PAST_MY = 'm'.repeat(65);

describe('compileRevision (the SQL preview, offline mode): as a run', () => {
  const module: RevisionModule = {
    transaction: true,
    script: { revision: 'c2', path: '/repo/migrations/versions/main/c2_long.ts' } as RevisionScript,
    upgrade: async (op) => {
      await op.createTable('fine', [{ name: 'id', type: 'integer' }]);
      await op.renameTable('fine', PAST_PG);
      await op.addColumn('fine', { name: PAST_MY, type: 'integer' });
    },
    downgrade: async () => undefined,
  };
  const options = { bind: 'main', namingConvention: DEFAULT_NAMING_CONVENTION, snapshots: { snapshot: async () => undefined } };

  it.each(DIALECTS.map((d) => [d.name, d] as const))('%s: the ops past a refused limit are notes (would be refused when run), past a truncated one warnings; the others compile', async (name, d) => {
    const compiled = await compileRevision(module, 'up', { ...options, dialect: d.dialect });
    const refused = (op: string, what: string, length: string) => expect.stringMatching(new RegExp(`^${op} would be refused when run: .* names ${what} '[^']+'( of table '[^']+')? \\(${length}`));
    const warned = (op: string, what: string, length: string) => expect.stringMatching(new RegExp(`^WARNING: ${op} in revision c2 of bind 'main' \\(/repo/migrations/versions/main/c2_long.ts\\) names ${what} '[^']+'( of table '[^']+')? \\(${length}\\): the database will use`));
    const expected = {
      sqlite: [],
      postgres: [warned("op.renameTable\\('fine'\\)", 'table', '64 bytes'), warned("op.addColumn\\('fine'\\)", 'column', '65 bytes')],
      mysql: [refused('AddColumn on .fine.', 'column', '65 characters')],
    }[name];
    expect(compiled.notes).toEqual(expected);
    expect(compiled.statements.length).toBe(name === 'mysql' ? 2 : 3);
    if (name === 'mysql') await expect(compileRevision(module, 'up', { ...options, dialect: d.dialect, onError: 'throw' })).rejects.toThrow(IdentifierTooLongError);
    else {
      const warnings: string[] = [];
      const thrown = await compileRevision(module, 'up', { ...options, dialect: d.dialect, onError: 'throw', onWarning: (op, w) => warnings.push(`${op.kind}: ${w.identifiers.map((i) => i.kept).join()}`) });
      expect(thrown).toEqual({ statements: compiled.statements, notes: [], firstWriteJudged: true });
      expect(warnings).toEqual(name === 'postgres' ? [`RenameTable: ${'é'.repeat(30)}abc`, `AddColumn: ${'m'.repeat(63)}`] : []);
    }
  });
});

const REVISIONS: RevisionFile[] = [
  { revision: 'c1', down: null, message: 'base', upgrade: `  await op.createTable('base', [{ name: 'id', type: 'integer', primaryKey: true }]);` },
  {
    revision: 'c2',
    down: 'c1',
    message: 'long',
    upgrade: `  await op.createTable('first', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.addColumn('first', { name: '${PAST_MY}', type: 'integer' });`,
  },
];

for (const d of DIALECTS) {
  d.describeOnDatabase(`${d.name}: an op past the limit after one that is fine, through the runner`, () => {
    const database = d.useDatabase('op_identifier_limits');

    it(d.name === 'sqlite' ? 'no limit: applied' : d.name === 'postgres' ? 'applied as written with a warning event; PostgreSQL keeps 63 bytes of the name' : 'refused; the op before it kept and recorded, resumed once the name is shortened', async () => {
      const { env, dir } = await offlineProject({ main: database.url }, { main: REVISIONS });
      const conn = await database.connect();
      const tables = async () => (await conn.introspect()).tables.map((t) => t.name).filter((t) => t === 'base' || t === 'first').sort();
      const versions = async () => (await q(conn, 'SELECT version_num FROM multidb_version')).map((r) => r.version_num);
      const warnings: RunEvent[] = [];
      const error = await commands.upgrade(env, [], { onEvent: (e) => e.type === 'warning' && warnings.push(e) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (d.name === 'sqlite') {
        expect(error).toBeUndefined();
        expect(warnings).toEqual([]);
        expect((await conn.introspectTable('first'))?.columns.map((c) => c.name)).toEqual(['id', PAST_MY]);
        return;
      }
      if (d.name === 'postgres') {
        expect(error).toBeUndefined();
        expect(warnings).toEqual([
          {
            type: 'warning',
            bind: 'main',
            revision: 'c2',
            file: expect.stringMatching(/c2_rev\.ts$/),
            code: 'IDENTIFIER_TRUNCATED',
            message: expect.stringContaining(`names column '${PAST_MY}' of table 'first' (65 bytes): the database will use '${'m'.repeat(63)}'`),
          },
        ]);
        expect(await versions()).toEqual(['c2']);
        expect((await conn.introspectTable('first'))?.columns.map((c) => c.name)).toEqual(['id', 'm'.repeat(63)]);
        return;
      }
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).cause).toBeInstanceOf(IdentifierTooLongError);
      expect((error as MigrationError).cause).toMatchObject({ bind: 'main', revision: 'c2', identifier: PAST_MY, length: 65, max: 64 });
      expect(await versions()).toEqual(['c1']);
      // MySQL/MariaDB: the CREATE TABLE before it committed, and its progress is recorded.
      expect(error).toMatchObject({ partial: true, resumable: true, statement: undefined });
      expect(await tables()).toEqual(['base', 'first']);
      const fixed = { ...REVISIONS[1]!, upgrade: REVISIONS[1]!.upgrade.replace(PAST_MY, 'shorter') };
      writeFileSync(join(dir, 'migrations', 'versions', 'main', 'c2_rev.ts'), revisionSource('main', fixed));
      const again = await loadEnvironment({ dialects, baseDir: dir, configObject: { directory: 'migrations', binds: { main: { url: database.url } } } });
      await commands.upgrade(again);
      expect(await versions()).toEqual(['c2']);
      expect((await conn.introspectTable('first'))?.columns.map((c) => c.name)).toEqual(['id', 'shorter']);
    });
  });
}
