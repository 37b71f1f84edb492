// What offline mode (`upgrade --sql`, the TUI's SQL preview) builds once instead of once per
// revision: the dialect's begin/commit statements, the version table's one-row UPDATE, and the
// capturing Kysely behind `op.db` (made only for a revision that reads it). Same text as before,
// with the real dialects' compilers; `upgrade --sql` of 5,000 revisions allocated ~35 % less.
import {
  compileRevision,
  DEFAULT_NAMING_CONVENTION,
  OfflineScriptWriter,
  OfflineSnapshots,
  Operations,
  VersionTable,
  type Dialect,
  type OpRunner,
  type Statement,
} from '@multidb/core';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { mysqlDialect, postgresDialect, sqliteDialect } from '../src/index.js';
import { revisionModule } from './support/revision-module.js';

const DIALECTS: readonly Dialect[] = [sqliteDialect, postgresDialect, mysqlDialect];

/** `dialect`, with every statement its offline writer renders recorded in `rendered`. */
function recordingRenders(dialect: Dialect, rendered: string[]): Dialect {
  return {
    ...dialect,
    offline: {
      ...dialect.offline,
      renderStatement: (statement: Statement) => {
        rendered.push(statement.sql);
        return dialect.offline.renderStatement(statement);
      },
    },
  };
}

/** A Kysely that counts the UPDATE builders made from it (then behaves as `db`). */
function countingUpdates(db: Kysely<any>): { db: Kysely<any>; updates: () => number } {
  let updates = 0;
  const counting = new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'updateTable') updates++;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: counting, updates: () => updates };
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: offline scripts build their fixed parts once`, () => {
    it("a writer renders each of the dialect's prologue, begin and commit statements once, however often it writes them", () => {
      const rendered: string[] = [];
      const writer = new OfflineScriptWriter({
        bind: 'main',
        dialect: recordingRenders(dialect, rendered),
        versionTable: new VersionTable('multidb_version'),
        namingConvention: DEFAULT_NAMING_CONVENTION,
        transactionMode: 'per-revision',
      });
      // Stamps that move a head and add one: two statements each (DELETE, INSERT), in a transaction on
      // every dialect (MySQL writes one alone).
      const first = writer.stamp({ bind: 'main', from: ['aa01'], to: ['aa02', 'bb02'] });
      const second = writer.stamp({ bind: 'main', from: ['aa02', 'bb02'], to: ['aa03'] });
      const fixed = [...dialect.offline.prologue({}), ...dialect.offline.begin(), ...dialect.offline.commit()];
      for (const sql of fixed) expect(rendered.filter((r) => r === sql), sql).toHaveLength(1);
      // …and both scripts still hold them, rendered as the dialect renders them.
      for (const script of [first, second]) {
        for (const sql of fixed) expect(script.sql).toContain(dialect.offline.renderStatement({ sql, parameters: [] }));
      }
    });

    it("the version table's one-row UPDATE is compiled once per Kysely, and reads as a fresh compile does", () => {
      const { db, updates } = countingUpdates(dialect.queryBuilder());
      const table = new VersionTable('multidb_version_reuse');
      const steps: [string, string][] = [
        ['aa01', 'aa02'],
        ['aa02', 'aa03'],
        ["it's", 'aa04'],
      ];
      for (const [from, to] of steps) {
        const [statement, ...rest] = table.updateStatements(db, [from], [to]);
        expect(rest).toEqual([]);
        const fresh = dialect.queryBuilder().updateTable('multidb_version_reuse').set({ version_num: to }).where('version_num', '=', from).compile();
        expect({ sql: statement!.sql, parameters: statement!.parameters }).toEqual({ sql: fresh.sql, parameters: fresh.parameters });
      }
      expect(updates()).toBe(1);
      // Another table of the same Kysely gets its own statement.
      expect(new VersionTable('other_version').updateStatements(db, ['aa01'], ['aa02'])[0]!.sql).toContain('other_version');
      expect(updates()).toBe(2);
    });

    it('compileRevision makes the capturing op.db only for a revision that reads it', async () => {
      let builders = 0;
      const counted: Dialect = {
        ...dialect,
        queryBuilder: () => {
          builders++;
          return dialect.queryBuilder();
        },
      };
      const options = { bind: 'main', dialect: counted, namingConvention: DEFAULT_NAMING_CONVENTION, snapshots: new OfflineSnapshots(), onError: 'throw' as const };
      const ddlOnly = await compileRevision(revisionModule((op) => op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }])), 'up', options);
      expect(ddlOnly.statements.map((s) => s.source)).toEqual(['op']);
      expect(builders).toBe(0);
      const reads = await compileRevision(
        revisionModule(async (op) => {
          await op.db.updateTable('t').set({ id: 2 }).where('id', '=', 1).execute();
          await op.db.deleteFrom('t').execute(); // the same op.db: one Kysely made
        }),
        'up',
        options,
      );
      expect(reads.statements.map((s) => s.source)).toEqual(['query-builder', 'query-builder']);
      expect(builders).toBe(1);
    });
  });
}

describe('Operations.db', () => {
  const runner: OpRunner = { dialect: { name: 'sqlite', inlineLiteral: String }, run: async () => {} };

  it('given a function, makes op.db on its first read, once', () => {
    let made = 0;
    const db = sqliteDialect.queryBuilder();
    const op = new Operations({ db: () => (made++, db), bind: 'main', runner, namingConvention: DEFAULT_NAMING_CONVENTION });
    expect(made).toBe(0);
    expect(op.db).toBe(db);
    expect(op.db).toBe(db);
    expect(made).toBe(1);
  });

  it('given a Kysely, op.db is that Kysely', () => {
    const db = sqliteDialect.queryBuilder();
    expect(new Operations({ db, bind: 'main', runner, namingConvention: DEFAULT_NAMING_CONVENTION }).db).toBe(db);
  });
});
