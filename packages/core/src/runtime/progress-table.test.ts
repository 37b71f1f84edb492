import { DummyDriver, Kysely, MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ProgressTable, type ProgressStart } from './progress-table.js';

/** A Kysely that compiles MySQL and sends nothing (kysely's own DummyDriver: no database here). */
const compilingOnly = () =>
  new Kysely<any>({
    dialect: {
      createAdapter: () => new MysqlAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new MysqlIntrospector(db),
      createQueryCompiler: () => new MysqlQueryCompiler(),
    },
  });

const step = (revision: string, before: string[], after: string[], direction: 'up' | 'down' = 'up'): ProgressStart => ({
  revision,
  direction,
  sourceHash: revision.repeat(64).slice(0, 64),
  headsBefore: before,
  headsAfter: after,
});

/** The header INSERT as Kysely compiles it for `step`, for comparison. */
const fresh = (db: Kysely<any>, table: string, s: ProgressStart, schema?: string) =>
  (schema ? db.withSchema(schema) : db)
    .insertInto(table)
    .values({
      revision: s.revision,
      step: 0,
      direction: s.direction,
      state: 'queued',
      kind: 'revision',
      description: s.revision,
      hash: s.sourceHash,
      heads_before: s.headsBefore.join(','),
      heads_after: s.headsAfter.join(','),
      statements_done: null,
      statements_hash: null,
    })
    .compile();

describe('ProgressTable.aheadStatement', () => {
  it('gives, step after step, the INSERT Kysely compiles for each header (compiled once, its values replaced)', () => {
    const db = compilingOnly();
    const table = new ProgressTable('multidb_version');
    const steps = [step('a1', [], ['a1']), step('a2', ['a1'], ['a2']), step('b3', ['a2', 'x9'], ['b3', 'x9'], 'down')];
    for (const s of steps) {
      const ahead = table.aheadStatement(db, s);
      const expected = fresh(db, 'multidb_version_progress', s);
      expect(ahead.sql).toBe(expected.sql);
      expect(ahead.parameters).toEqual(expected.parameters);
    }
    expect(table.aheadStatement(db, steps[1]!).parameters).toEqual(['a2', 0, 'up', 'queued', 'revision', 'a2', steps[1]!.sourceHash, 'a1', 'a2', null, null]);
  });

  it('keeps each table and schema apart, on one Kysely', () => {
    const db = compilingOnly();
    const s = step('a2', ['a1'], ['a2']);
    const plain = new ProgressTable('multidb_version').aheadStatement(db, s);
    const other = new ProgressTable('other_version', 'tenant1').aheadStatement(db, s);
    expect(plain.sql).toBe(fresh(db, 'multidb_version_progress', s).sql);
    expect(other.sql).toBe(fresh(db, 'other_version_progress', s, 'tenant1').sql);
    expect(other.parameters).toEqual(fresh(db, 'other_version_progress', s, 'tenant1').parameters);
  });
});
