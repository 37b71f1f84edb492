import { DEFAULT_NAMING_CONVENTION, enumType, parseColumnType, reverseOp, type Op, type SchemaComparator, DEFAULT_COMPARATOR } from '@multidb/core';
import { sqliteComparator } from '@multidb/dialect';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compare-schemas.js';
import { downgradeWarnings } from '../render/downgrade-warnings.js';
import { NoReferencedColumnError, NoReferencedTableError } from './no-referenced-table-error.js';
import { roundTrip } from '../testing/round-trip.js';
import { col, db, downgrade, model, MYSQL_LIKE, options, POSTGRES_LIKE, reflected, SQLITE_LIKE, summary } from '../testing/snapshot-fixture.js';

const user = model(
  'user',
  [
    { name: 'id', type: 'integer', primaryKey: true, autoincrement: true },
    { name: 'email', type: 'varchar(64)', nullable: false, unique: true },
    { name: 'name', type: 'varchar(20)', default: 'anon', comment: 'display name' },
  ],
  { indexes: [{ columns: ['name'] }], checkConstraints: [{ name: 'ck_user_email', expression: "email <> ''" }], comment: 'people' },
);
const post = model(
  'post',
  [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'user_id', type: 'integer', references: { table: 'user', column: 'id', onDelete: 'cascade' } },
    { name: 'title', type: 'text', nullable: false },
  ],
  { indexes: [{ columns: ['user_id', 'title'], unique: true }] },
);

function lines(models: Parameters<typeof compareSchemas>[0], database: Parameters<typeof compareSchemas>[1], opts = options()) {
  return compareSchemas(models, database, opts).changes.map((c) => c.line);
}

function only<K extends Op['kind']>(ops: readonly Op[], kind: K): Extract<Op, { kind: K }> {
  const found = ops.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as Extract<Op, { kind: K }>;
}

describe('compareSchemas: an unchanged database', () => {
  it('gives no ops, changes or warnings, whatever the order of tables, columns and indexes', () => {
    const shuffled = { ...user, columns: [...user.columns].reverse(), indexes: [...user.indexes].reverse() };
    for (const capabilities of [options().capabilities, POSTGRES_LIKE, MYSQL_LIKE, SQLITE_LIKE]) {
      const result = compareSchemas(db([post, user]), db([shuffled, post]), options({ capabilities }));
      expect(result).toEqual({ ops: [], changes: [], warnings: [], revisionWarnings: [], unmatchedRenames: [] });
    }
  });

  it('treats column-level keys and the equivalent table-level constraints as the same', () => {
    const declared = model('member', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'email', type: 'text', unique: true },
      { name: 'team_id', type: 'integer', references: 'team.id' },
    ]);
    const introspected = reflected('member', [col('id', 'integer', { nullable: false }), col('email', 'text'), col('team_id', 'integer')], {
      primaryKey: { name: 'PRIMARY', columns: ['id'] },
      uniqueConstraints: [{ name: 'member_email_key', columns: ['email'] }],
      foreignKeys: [{ name: 'member_team_id_fkey', columns: ['team_id'], referredTable: 'team', referredColumns: ['id'] }],
    });
    expect(compareSchemas(db([declared]), db([introspected]), options()).ops).toEqual([]);
    // And the other way round: table-level in the models, column-level in the database.
    const tableLevel = model('member', [{ name: 'id', type: 'integer' }, { name: 'email', type: 'text' }, { name: 'team_id', type: 'integer' }], {
      primaryKey: ['id'],
      uniqueConstraints: [['email']],
      foreignKeys: [{ columns: ['team_id'], referredTable: 'team', referredColumns: ['id'] }],
    });
    const columnLevel = reflected('member', [
      col('id', 'integer', { nullable: false, primaryKey: true }),
      col('email', 'text', { unique: true }),
      col('team_id', 'integer', { references: { table: 'team', column: 'id' } }),
    ]);
    expect(compareSchemas(db([tableLevel]), db([columnLevel]), options()).ops).toEqual([]);
  });

  it('compares primary keys by columns only (MySQL names them PRIMARY, SQLite keeps no name)', () => {
    const declared = model('link', [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }], { primaryKey: { name: 'pk_link', columns: ['a', 'b'] } });
    const mysql = reflected('link', [col('a', 'integer', { nullable: false }), col('b', 'integer', { nullable: false })], { primaryKey: { columns: ['a', 'b'] } });
    expect(compareSchemas(db([declared]), db([mysql]), options()).ops).toEqual([]);
  });

  it('matches indexes, unique keys, foreign keys and checks by definition under another name', () => {
    const declared = model('t', [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }], {
      indexes: [{ name: 'ix_mine', columns: ['a'] }],
      uniqueConstraints: [{ name: 'uq_mine', columns: ['b'] }],
      foreignKeys: [{ name: 'fk_mine', columns: ['a'], referredTable: 'other', referredColumns: ['id'], onDelete: 'no action' }],
      checkConstraints: [{ name: 'ck_mine', expression: '"a" > 0' }],
    });
    const introspected = reflected('t', [col('a', 'integer'), col('b', 'integer')], {
      indexes: [{ name: 'theirs_1', columns: ['a'], unique: false }],
      uniqueConstraints: [{ name: 'theirs_2', columns: ['b'] }],
      foreignKeys: [{ name: 'theirs_3', columns: ['a'], referredTable: 'other', referredColumns: ['id'], onDelete: 'restrict' }],
      checkConstraints: [{ name: 'theirs_4', expression: '(A  >  0)' }],
    });
    // The index alone is renamed to the models' name (see 'renames an index …' below).
    expect(compareSchemas(db([declared]), db([introspected]), options()).ops).toEqual([{ kind: 'RenameIndex', table: 't', name: 'theirs_1', newName: 'ix_mine' }]);
  });

  it('renames an index paired by its definition under another name (a column renamed since it was named) to the models\' name', () => {
    // After `kind` was renamed `category`, the database's index keeps the name it was given; the
    // models name theirs by the convention.
    const declared = model('event', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'category', type: 'text' }], { indexes: [{ columns: ['category'], where: 'category IS NOT NULL' }] });
    const index = { name: 'ix_event_kind', columns: ['category'], unique: false, where: 'category IS NOT NULL' };
    const introspected = reflected('event', [col('id', 'integer', { primaryKey: true, nullable: false }), col('category', 'text')], { indexes: [index] });
    const result = compareSchemas(db([declared]), db([introspected]), options());
    expect(result.ops).toEqual([{ kind: 'RenameIndex', table: 'event', name: 'ix_event_kind', newName: 'ix_event_category' }]);
    expect(result.changes).toEqual([
      { kind: 'rename_index', table: 'event', name: 'ix_event_category', oldName: 'ix_event_kind', line: "Detected renamed index 'ix_event_kind' to 'ix_event_category' on 'event'" },
    ]);
    expect(result.warnings).toEqual([]);
    expect(downgrade(result.ops)).toEqual([{ kind: 'RenameIndex', table: 'event', name: 'ix_event_category', newName: 'ix_event_kind' }]);
    // Where a rename drops and creates the index (SQLite, in its batch), the op carries its definition.
    const sqlite = compareSchemas(db([declared]), db([introspected]), options({ capabilities: SQLITE_LIKE }));
    expect(sqlite.ops).toEqual([
      { kind: 'BatchAlterTable', table: 'event', ops: [{ kind: 'RenameIndex', table: 'event', name: 'ix_event_kind', newName: 'ix_event_category', existing: { columns: ['category'], unique: false, where: 'category IS NOT NULL' } }], options: {} },
    ]);
    // The same name: nothing to do, nothing said.
    const same = reflected('event', [col('id', 'integer', { primaryKey: true, nullable: false }), col('category', 'text')], { indexes: [{ ...index, name: 'ix_event_category' }] });
    expect(compareSchemas(db([declared]), db([same]), options())).toMatchObject({ ops: [], changes: [], warnings: [] });
    // Left out by includeObject: left alone.
    const excluded = compareSchemas(db([declared]), db([introspected]), options({ includeObject: (o) => o.type !== 'index' }));
    expect(excluded).toMatchObject({ ops: [], changes: [], warnings: [] });
  });

  it('on MySQL, renames the index InnoDB made for a foreign key, but not to the name of that key (introspection would not report it)', () => {
    const columns = [col('id', 'integer', { primaryKey: true, nullable: false }), col('owner_id', 'integer')];
    const fk = { name: 'fk_event_owner_id_owner', columns: ['owner_id'], referredTable: 'owner', referredColumns: ['id'] };
    const introspected = reflected('event', columns, { foreignKeys: [fk], indexes: [{ name: 'owner_id', columns: ['owner_id'], unique: false }] });
    const declared = (name: string) =>
      model('event', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'owner_id', type: 'integer' }], { foreignKeys: [fk], indexes: [{ name, columns: ['owner_id'] }] });
    expect(compareSchemas(db([declared('ix_event_owner_id')]), db([introspected]), options({ capabilities: MYSQL_LIKE })).ops).toEqual([
      { kind: 'RenameIndex', table: 'event', name: 'owner_id', newName: 'ix_event_owner_id' },
    ]);
    expect(compareSchemas(db([declared('fk_event_owner_id_owner')]), db([introspected]), options({ capabilities: MYSQL_LIKE })).ops).toEqual([]);
  });

  it('renames a unique index as any index (both sides an index), but keeps the name of a unique constraint the database named', () => {
    const columns = [col('id', 'integer', { primaryKey: true, nullable: false }), col('email', 'text'), col('code', 'text')];
    const declared = model('user', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'text' }, { name: 'code', type: 'text', unique: true }], {
      indexes: [{ columns: ['email'], unique: true }],
    });
    // The database named both itself (PostgreSQL's CREATE UNIQUE INDEX ON … and a UNIQUE constraint).
    const introspected = reflected('user', columns, { indexes: [{ name: 'user_email_idx', columns: ['email'], unique: true }], uniqueConstraints: [{ name: 'user_code_key2', columns: ['code'] }] });
    const result = compareSchemas(db([declared]), db([introspected]), options());
    expect(result.ops).toEqual([{ kind: 'RenameIndex', table: 'user', name: 'user_email_idx', newName: 'ix_user_email' }]);
    expect(result.changes).toEqual([
      { kind: 'rename_index', table: 'user', name: 'ix_user_email', oldName: 'user_email_idx', line: "Detected renamed index 'user_email_idx' to 'ix_user_email' on 'user'" },
    ]);
    expect(downgrade(result.ops)).toEqual([{ kind: 'RenameIndex', table: 'user', name: 'ix_user_email', newName: 'user_email_idx' }]);
    // SQLite: in its batch, with the definition.
    expect(compareSchemas(db([declared]), db([introspected]), options({ capabilities: SQLITE_LIKE })).ops).toEqual([
      { kind: 'BatchAlterTable', table: 'user', ops: [{ kind: 'RenameIndex', table: 'user', name: 'user_email_idx', newName: 'ix_user_email', existing: { columns: ['email'], unique: true } }], options: {} },
    ]);
    // A unique index the models declare where the database has a unique constraint (MySQL reports its unique keys so): one key, left alone.
    const asConstraint = reflected('user', columns, { uniqueConstraints: [{ name: 'user_email_idx', columns: ['email'] }, { name: 'user_code_key2', columns: ['code'] }] });
    expect(compareSchemas(db([declared]), db([asConstraint]), options())).toMatchObject({ ops: [], changes: [], warnings: [] });
    // Left out by includeObject: left alone.
    expect(compareSchemas(db([declared]), db([introspected]), options({ includeObject: (o) => o.type !== 'index' }))).toMatchObject({ ops: [], changes: [] });
  });

  it('treats a unique index and a unique constraint on the same columns as one (MySQL reports one as the other)', () => {
    const declared = model('t', [{ name: 'a', type: 'integer' }], { indexes: [{ name: 'ix_t_a', columns: ['a'], unique: true }] });
    const mysql = reflected('t', [col('a', 'integer')], { uniqueConstraints: [{ name: 'ix_t_a', columns: ['a'] }] });
    expect(compareSchemas(db([declared]), db([mysql]), options()).ops).toEqual([]);
  });

  it('compares types, defaults and expressions through the comparator', () => {
    // A comparator that knows int4 = integer and that 'x'::text = 'x', as PostgreSQL's would.
    const comparator: SchemaComparator = {
      canonicalType: (t) => (t.name === 'int4' ? 'integer' : DEFAULT_COMPARATOR.canonicalType(t)),
      canonicalDefault: (v, c) => {
        if (v && typeof v === 'object') {
          const m = /^'(.*)'::\w+$/.exec(v.sql);
          if (m) return DEFAULT_COMPARATOR.canonicalDefault(m[1]!, c);
        }
        return DEFAULT_COMPARATOR.canonicalDefault(v, c);
      },
      canonicalExpression: (sql) => DEFAULT_COMPARATOR.canonicalExpression(sql.replace(/::\w+/g, '')),
    };
    const declared = model('t', [{ name: 'n', type: 'integer', default: 'x' }], { indexes: [{ name: 'ix_t_lower', columns: [{ sql: 'lower(n)' }], where: 'n > 0' }] });
    const introspected = reflected('t', [col('n', 'int4', { default: { sql: "'x'::text" } })], {
      indexes: [{ name: 'ix_t_lower', columns: [{ sql: 'lower(n::text)' }], unique: false, where: '(n > 0)' }],
    });
    expect(compareSchemas(db([declared]), db([introspected]), options({ comparator })).ops).toEqual([]);
    expect(compareSchemas(db([declared]), db([introspected]), options()).changes.map((c) => c.kind)).toEqual(['modify_index', 'modify_type', 'modify_default']);
  });

  it('drops and recreates a foreign key around a type change of a column it uses where the dialect requires it (MySQL)', () => {
    const parentOf = (type: string) => model('parent', [{ name: 'id', type, primaryKey: true }]);
    const childOf = (type: string) =>
      model('child', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parent_id', type }], {
        foreignKeys: [{ name: 'fk_child_parent', columns: ['parent_id'], referredTable: 'parent', referredColumns: ['id'], onDelete: 'cascade' }],
      });
    const live = db([
      reflected('parent', [col('id', 'integer', { primaryKey: true, nullable: false })]),
      reflected('child', [col('id', 'integer', { primaryKey: true, nullable: false }), col('parent_id', 'integer')], {
        foreignKeys: [{ name: 'fk_child_parent', columns: ['parent_id'], referredTable: 'parent', referredColumns: ['id'], onDelete: 'cascade' }],
      }),
    ]);
    const mysql = options({ capabilities: { ...MYSQL_LIKE, retypeForeignKeyColumns: false } });
    // Both ends widened: the key goes first and comes back last; the changes are the two type changes.
    const both = compareSchemas(db([parentOf('bigint'), childOf('bigint')]), live, mysql);
    expect(both.ops.map((o) => `${o.kind} ${'name' in o ? o.name : 'column' in o ? o.column : ''}`)).toEqual([
      'DropConstraint fk_child_parent',
      'AlterColumn parent_id',
      'AlterColumn id',
      'CreateForeignKey fk_child_parent',
    ]);
    expect(only(both.ops, 'CreateForeignKey')).toMatchObject({ onDelete: 'cascade' });
    expect(both.changes.map((c) => c.kind)).toEqual(['modify_type', 'modify_type']);
    expect(downgrade(both.ops).map((o) => o.kind)).toEqual(['DropConstraint', 'AlterColumn', 'AlterColumn', 'CreateForeignKey']);
    // The referred end alone is enough.
    expect(compareSchemas(db([parentOf('bigint'), childOf('integer')]), live, mysql).ops.map((o) => o.kind)).toEqual(['DropConstraint', 'AlterColumn', 'CreateForeignKey']);
    // Elsewhere (PostgreSQL) the key stays.
    expect(compareSchemas(db([parentOf('bigint'), childOf('bigint')]), live, options()).ops.map((o) => o.kind)).toEqual(['AlterColumn', 'AlterColumn']);
  });

  it('compares whether a foreign key is deferrable, and creates it as the models declare it', () => {
    const fk = (deferrable?: boolean, initiallyDeferred?: boolean) => ({
      name: 'fk_child_parent',
      columns: ['parent_id'],
      referredTable: 'parent',
      referredColumns: ['id'],
      ...(deferrable === undefined ? {} : { deferrable }),
      ...(initiallyDeferred === undefined ? {} : { initiallyDeferred }),
    });
    const parent = model('parent', [{ name: 'id', type: 'integer', primaryKey: true }]);
    const declared = (f: ReturnType<typeof fk> | undefined) => model('child', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parent_id', type: 'integer' }], f ? { foreignKeys: [f] } : {});
    const live = (f: ReturnType<typeof fk> | undefined) =>
      reflected('child', [col('id', 'integer', { primaryKey: true, nullable: false }), col('parent_id', 'integer')], f ? { foreignKeys: [f] } : {});
    const parentLive = reflected('parent', [col('id', 'integer', { primaryKey: true, nullable: false })]);
    // Added: the op carries DEFERRABLE INITIALLY DEFERRED.
    const added = compareSchemas(db([parent, declared(fk(true, true))]), db([parentLive, live(undefined)]), options());
    expect(only(added.ops, 'CreateForeignKey')).toMatchObject({ deferrable: true, initiallyDeferred: true });
    // Changed: dropped and created again; the same (initiallyDeferred without deferrable is not deferred): nothing.
    expect(lines(db([parent, declared(fk(true))]), db([parentLive, live(fk())]))).toEqual([
      "Detected changed foreign key 'fk_child_parent' on table 'child': (parent_id) -> parent(id) to (parent_id) -> parent(id) deferrable",
    ]);
    expect(lines(db([parent, declared(fk(true, true))]), db([parentLive, live(fk(true))]))).toHaveLength(1);
    expect(compareSchemas(db([parent, declared(fk(false, true))]), db([parentLive, live(fk())]), options()).ops).toEqual([]);
  });

  it("compares an index's INCLUDE columns and NULLS NOT DISTINCT; such a unique index is not a unique key", () => {
    const cols = [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }] as const;
    const live = (extra: object) => reflected('t', [col('id', 'integer', { primaryKey: true, nullable: false }), col('a', 'integer'), col('b', 'integer')], { indexes: [{ name: 'ix', columns: ['a'], unique: true, ...extra }] });
    const declared = (extra: object) => model('t', [...cols], { indexes: [{ name: 'ix', columns: ['a'], unique: true, ...extra }] });
    expect(lines(db([declared({ include: ['b'] })]), db([live({})]))).toEqual(["Detected changed index 'ix' on 't': (a) unique to (a) unique include (b)"]);
    expect(lines(db([declared({ nullsNotDistinct: true })]), db([live({})]))).toEqual(["Detected changed index 'ix' on 't': (a) unique to (a) unique nulls not distinct"]);
    expect(compareSchemas(db([declared({ include: ['b'], nullsNotDistinct: true })]), db([live({ include: ['b'], nullsNotDistinct: true })]), options()).ops).toEqual([]);
    const created = only(compareSchemas(db([declared({ include: ['b'] })]), db([live({})]), options()).ops, 'CreateIndex');
    expect(created.index).toMatchObject({ include: ['b'] });
  });

  it("compares a unique constraint's NULLS NOT DISTINCT; the drop keeps it as existing", () => {
    const cols = [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'a', type: 'integer' }] as const;
    const live = (extra: object) => reflected('t', [col('id', 'integer', { primaryKey: true, nullable: false }), col('a', 'integer')], { uniqueConstraints: [{ name: 'uq', columns: ['a'], ...extra }] });
    const declared = (extra: object) => model('t', [...cols], { uniqueConstraints: [{ name: 'uq', columns: ['a'], ...extra }] });
    expect(lines(db([declared({ nullsNotDistinct: true })]), db([live({})]))).toEqual(["Detected changed unique constraint 'uq' on 't': (a) to (a) nulls not distinct"]);
    expect(compareSchemas(db([declared({ nullsNotDistinct: true })]), db([live({ nullsNotDistinct: true })]), options()).ops).toEqual([]);
    const { ops } = compareSchemas(db([declared({})]), db([live({ nullsNotDistinct: true })]), options());
    expect(only(ops, 'DropConstraint').existing).toEqual({ type: 'unique', columns: ['a'], nullsNotDistinct: true });
    expect(only(ops, 'CreateUniqueConstraint')).not.toHaveProperty('nullsNotDistinct');
    // Not the same key as a column's plain unique, under another name.
    const plain = reflected('t', [col('id', 'integer', { primaryKey: true, nullable: false }), col('a', 'integer', { unique: true })]);
    expect(lines(db([declared({ nullsNotDistinct: true })]), db([plain]))).toEqual(["Detected removed unique constraint 'uq_t_a' on 't'", "Detected added unique constraint 'uq' on 't' (a) nulls not distinct"]);
  });

  it("detects a column's collation added, changed or removed (case-insensitive; PostgreSQL's default and SQLite's BINARY are none)", () => {
    const declared = (collation?: string) => model('doc', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'title', type: 'text', ...(collation ? { collation } : {}) }]);
    const live = (collation?: string) => reflected('doc', [col('id', 'integer', { primaryKey: true, nullable: false }), col('title', 'text', collation ? { collation } : {})]);
    expect(lines(db([declared('C')]), db([live()]))).toEqual(["Detected collation change from default to C on column 'doc.title'"]);
    const added = only(compareSchemas(db([declared('C')]), db([live()]), options()).ops, 'AlterColumn');
    expect(added.changes).toEqual({ collation: 'C' });
    expect(added.existing.type).toEqual(parseColumnType('text'));
    expect(reverseOp(added)).toMatchObject({ changes: { collation: null } });
    expect(only(compareSchemas(db([declared()]), db([live('utf8mb4_bin')]), options()).ops, 'AlterColumn').changes).toEqual({ collation: null });
    expect(compareSchemas(db([declared('NOCASE')]), db([live('nocase')]), options()).ops).toEqual([]);
    expect(compareSchemas(db([declared('BINARY')]), db([live()]), options()).ops).toEqual([]);
    expect(compareSchemas(db([declared('default')]), db([live()]), options()).ops).toEqual([]);
    // MySQL reports no collation for a column with the table's default: declaring it is no change.
    const mysqlTable = { ...live(), defaultCollation: 'utf8mb4_general_ci' };
    expect(compareSchemas(db([declared('utf8mb4_general_ci')]), db([mysqlTable]), options()).ops).toEqual([]);
    expect(lines(db([declared('utf8mb4_bin')]), db([mysqlTable]))).toEqual(["Detected collation change from default to utf8mb4_bin on column 'doc.title'"]);
  });

  it("detects a column's ON UPDATE added, changed or removed (MySQL), read as the dialect reads a default", () => {
    // As MySQL's: current_timestamp() is CURRENT_TIMESTAMP.
    const comparator: SchemaComparator = {
      ...DEFAULT_COMPARATOR,
      canonicalDefault: (v, c) => (v && typeof v === 'object' && /^current_timestamp(\(\))?$/i.test(v.sql) ? 'CURRENT_TIMESTAMP' : DEFAULT_COMPARATOR.canonicalDefault(v, c)),
    };
    const at = (onUpdate?: string) => ({ name: 'at', type: 'datetime', ...(onUpdate === undefined ? {} : { onUpdate }) });
    const live = (onUpdate?: string) => reflected('doc', [col('id', 'integer', { primaryKey: true, nullable: false }), col('at', 'datetime', onUpdate === undefined ? {} : { onUpdate })]);
    const declared = (onUpdate?: string) => model('doc', [{ name: 'id', type: 'integer', primaryKey: true }, at(onUpdate)]);
    const opts = options({ comparator, capabilities: MYSQL_LIKE });
    expect(compareSchemas(db([declared('CURRENT_TIMESTAMP')]), db([live('current_timestamp()')]), opts).ops).toEqual([]);
    const added = compareSchemas(db([declared('CURRENT_TIMESTAMP')]), db([live()]), opts);
    expect(added.changes.map((c) => c.line)).toEqual(["Detected ON UPDATE change from none to CURRENT_TIMESTAMP on column 'doc.at'"]);
    const op = only(added.ops, 'AlterColumn');
    expect(op.changes).toEqual({ onUpdate: 'CURRENT_TIMESTAMP' });
    expect(reverseOp(op)).toMatchObject({ kind: 'AlterColumn', changes: { onUpdate: null } });
    const removed = only(compareSchemas(db([declared()]), db([live('current_timestamp()')]), opts).ops, 'AlterColumn');
    expect(removed.changes).toEqual({ onUpdate: null });
    expect(removed.existing.onUpdate).toBe('current_timestamp()');
  });

  it('gives the comparator the column of a type, so a dialect may reduce it by the column (SQLite: an AUTOINCREMENT bigint key is integer)', () => {
    // As SQLite's: AUTOINCREMENT exists only on INTEGER PRIMARY KEY, so a bigint one is declared integer.
    const comparator: SchemaComparator = {
      ...DEFAULT_COMPARATOR,
      canonicalType: (t, c) => (c?.autoincrement && /int/.test(t.name) ? 'integer' : DEFAULT_COMPARATOR.canonicalType(t)),
    };
    const declared = model('big', [{ name: 'id', type: 'bigint', primaryKey: true, autoincrement: true }, { name: 'n', type: 'bigint' }]);
    const introspected = reflected('big', [col('id', 'integer', { primaryKey: true, nullable: false, autoincrement: true }), col('n', 'bigint')]);
    expect(compareSchemas(db([declared]), db([introspected]), options({ comparator })).ops).toEqual([]);
    // A column that is not AUTOINCREMENT keeps its type: bigint against integer is a change.
    const plain = reflected('big', [col('id', 'integer', { primaryKey: true, nullable: false, autoincrement: true }), col('n', 'integer')]);
    expect(lines(db([declared]), db([plain]), options({ comparator }))).toEqual(["Detected type change from integer to bigint on 'big.n'"]);
  });

  it('does not report the index InnoDB made for a foreign key when the dialect says it makes one', () => {
    const declared = model('post', [{ name: 'user_id', type: 'integer' }], {
      foreignKeys: [{ name: 'fk_post_user', columns: ['user_id'], referredTable: 'user', referredColumns: ['id'] }],
    });
    const mysql = reflected('post', [col('user_id', 'integer')], {
      foreignKeys: [{ name: 'fk_post_user', columns: ['user_id'], referredTable: 'user', referredColumns: ['id'] }],
      indexes: [{ name: 'user_id', columns: ['user_id'], unique: false }],
    });
    expect(compareSchemas(db([declared]), db([mysql]), options({ capabilities: MYSQL_LIKE })).ops).toEqual([]);
    // Elsewhere the same index is one the models lack.
    expect(lines(db([declared]), db([mysql]))).toEqual(["Detected removed index 'user_id' on 'post'"]);
  });
});

describe('compareSchemas: cases the property test found', () => {
  it('drops the index of a foreign key that goes away with its column (MySQL)', () => {
    const before = model('delta', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'y', type: 'integer' }], {
      foreignKeys: [{ columns: ['y'], referredTable: 'beta', referredColumns: ['id'] }],
      indexes: [{ columns: ['y'] }],
    });
    const after = model('delta', [{ name: 'id', type: 'integer', primaryKey: true }]);
    const r = roundTrip(db([after]), db([before, model('beta', [{ name: 'id', type: 'integer', primaryKey: true }])]), options({ capabilities: MYSQL_LIKE }));
    expect(summary(r.comparison.ops)).toEqual(['DropConstraint delta fk_delta_y_beta', 'DropIndex delta ix_delta_y', 'DropColumn delta.y']);
    expect(r.remainingAfterDowngrade).toEqual([]);
  });

  it('compares a unique index with the plain index of the same name on the other side', () => {
    const models = model('alpha', [{ name: 'x', type: 'integer', unique: true }], { indexes: [{ columns: ['x'] }] });
    const database = model('alpha', [{ name: 'x', type: 'integer' }], { indexes: [{ columns: ['x'], unique: true }] });
    const r = roundTrip(db([models]), db([database]), options());
    expect(summary(r.comparison.ops)).toEqual(['DropIndex alpha ix_alpha_x', 'CreateUniqueConstraint alpha uq_alpha_x', 'CreateIndex alpha ix_alpha_x']);
    expect(r.remainingAfterUpgrade).toEqual([]);
    expect(r.remainingAfterDowngrade).toEqual([]);
  });
});

describe('compareSchemas: tables', () => {
  it('detects an added table', () => {
    const r = compareSchemas(db([user]), db([]), options());
    expect(r.ops).toEqual([{ kind: 'CreateTable', table: user }]);
    expect(r.changes).toEqual([{ kind: 'add_table', table: 'user', line: "Detected added table 'user'" }]);
  });

  it('drops a removed table with its definition when dropUnmodeledTables is set', () => {
    const withDependents = { ...user, dependents: [{ type: 'index' as const, name: 'ix_user_name', tableName: 'user', sql: 'CREATE INDEX …' }] };
    const r = compareSchemas(db([]), db([withDependents]), options({ dropUnmodeledTables: true }));
    expect(r.ops).toEqual([{ kind: 'DropTable', table: 'user', existing: user }]);
    expect(r.changes.map((c) => c.line)).toEqual(["Detected removed table 'user'"]);
    expect(downgrade(r.ops)).toEqual([{ kind: 'CreateTable', table: user }]);
  });

  it('leaves a table the models lack alone by default, with a warning', () => {
    const r = compareSchemas(db([]), db([user]), options());
    expect(r.ops).toEqual([]);
    expect(r.warnings).toEqual(["Table 'user' is in the database but not in the models; left alone (set autogenerate.dropUnmodeledTables to drop it)"]);
  });

  it("never drops another migration tool's bookkeeping table, dropUnmodeledTables or not, and names the tool", () => {
    const kysely = model('kysely_migration', [{ name: 'name', type: 'varchar(255)', primaryKey: true }]);
    const alembic = model('alembic_version', [{ name: 'version_num', type: 'varchar(32)', primaryKey: true }]);
    for (const dropUnmodeledTables of [true, false]) {
      const r = compareSchemas(db([]), db([kysely, alembic, user]), options({ dropUnmodeledTables }));
      expect(r.ops.map((o) => o.kind === 'DropTable' && o.table)).toEqual(dropUnmodeledTables ? ['user'] : []);
      expect(r.warnings.filter((w) => !w.startsWith("Table 'user'"))).toEqual([
        "Table 'alembic_version' is the migration table of Alembic, not in the models; left alone (also with autogenerate.dropUnmodeledTables): drop it in a revision by hand (op.dropTable) once Alembic no longer migrates this database",
        "Table 'kysely_migration' is the migration table of Kysely's Migrator, not in the models; left alone (also with autogenerate.dropUnmodeledTables): drop it in a revision by hand (op.dropTable) once Kysely's Migrator no longer migrates this database",
      ]);
    }
  });

  it('keeps schemas apart and names them', () => {
    const sales = model('user', [{ name: 'id', type: 'integer' }], { schema: 'sales' });
    const r = compareSchemas(db([sales]), db([user]), options());
    expect(r.changes.map((c) => c.line)).toEqual(["Detected added table 'sales.user'"]);
    expect(r.warnings[0]).toContain("Table 'user'");
  });

  it('detects table comments added, changed and removed, and not on a dialect without comments', () => {
    const noComment = { ...user, comment: undefined };
    const added = compareSchemas(db([user]), db([noComment]), options());
    expect(added.ops).toEqual([{ kind: 'AlterTableComment', table: 'user', comment: 'people', existing: null }]);
    expect(added.changes[0]!.line).toBe("Detected table comment on 'user'");
    const removed = compareSchemas(db([noComment]), db([user]), options());
    expect(removed.ops).toEqual([{ kind: 'AlterTableComment', table: 'user', comment: null, existing: 'people' }]);
    expect(removed.changes[0]!.line).toBe("Detected removed table comment on 'user'");
    expect(compareSchemas(db([{ ...user, comment: '' }]), db([noComment]), options()).ops).toEqual([]);
    expect(compareSchemas(db([user]), db([noComment]), options({ capabilities: { ...SQLITE_LIKE } })).ops).toEqual([]);
  });

  it('warns about SQLite table options it does not change', () => {
    const r = compareSchemas(db([{ ...user, strict: true }]), db([user]), options({ capabilities: SQLITE_LIKE }));
    expect(r.ops).toEqual([]);
    expect(r.warnings).toEqual(["Table 'user' is not STRICT in the database but in the models; autogenerate does not change table options: rebuild the table by hand."]);
  });
});

describe('compareSchemas: columns', () => {
  const base = model('user', [{ name: 'id', type: 'integer', primaryKey: true }]);

  it('detects an added column, without its inline constraints (added separately)', () => {
    const withEmail = model('user', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'email', type: 'varchar(64)', unique: true, references: 'account.email' },
    ]);
    const account = model('account', [{ name: 'email', type: 'varchar(64)', primaryKey: true }]);
    const r = compareSchemas(db([withEmail, account]), db([base, account]), options());
    expect(r.ops).toEqual([
      { kind: 'AddColumn', table: 'user', column: { name: 'email', type: parseColumnType('varchar(64)'), nullable: true } },
      { kind: 'CreateUniqueConstraint', table: 'user', name: 'uq_user_email', columns: ['email'] },
      { kind: 'CreateForeignKey', table: 'user', name: 'fk_user_email_account', columns: ['email'], referredTable: 'account', referredColumns: ['email'] },
    ]);
    expect(r.changes.map((c) => c.line)).toEqual([
      "Detected added column 'user.email'",
      "Detected added unique constraint 'uq_user_email' on 'user' (email)",
      "Detected added foreign key (email) -> account(email) on table 'user'",
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('warns when a NOT NULL column without a default is added to an existing table', () => {
    const r = compareSchemas(db([model('user', [...base.columns, { name: 'email', type: 'text', nullable: false }])]), db([base]), options());
    expect(r.warnings).toEqual(["Column 'user.email' is added NOT NULL without a server default: the upgrade fails if 'user' has rows."]);
  });

  // What a downgrade may fail at or lose is said where a revision is written (autogenerate, from
  // the downgrade ops it writes: downgradeWarnings), never by the comparison, which check prints.
  it('says nothing about the downgrade of a dropped NOT NULL column without a default; downgradeWarnings says it adds it back, and about no other dropped column', () => {
    const dropped = model('user', [
      ...base.columns,
      { name: 'fax', type: 'text', nullable: false },
      { name: 'note', type: 'text' },
      { name: 'kind', type: 'text', nullable: false, default: 'a' },
      { name: 'code', type: 'text', nullable: false, generated: { sql: "'x'", stored: true } },
    ]);
    const r = compareSchemas(db([base]), db([dropped]), options());
    expect(summary(r.ops)).toEqual(['DropColumn user.fax', 'DropColumn user.note', 'DropColumn user.kind', 'DropColumn user.code']);
    expect(r.warnings).toEqual([]);
    expect(downgradeWarnings(downgrade(r.ops))).toEqual(["Column 'user.fax' is added back NOT NULL without a server default by the downgrade: the downgrade fails if 'user' has rows."]);
    // The same in a batch (SQLite rebuilds).
    const batched = compareSchemas(db([base]), db([dropped]), options({ capabilities: SQLITE_LIKE }));
    expect(batched.warnings).toEqual([]);
    expect(downgradeWarnings(downgrade(batched.ops))).toEqual(downgradeWarnings(downgrade(r.ops)));
  });

  it('says nothing about a column the models make nullable; downgradeWarnings says the downgrade sets it NOT NULL again, and nothing when the models make one NOT NULL', () => {
    const columns = (fax: boolean, note: boolean) => model('user', [...base.columns, { name: 'fax', type: 'text', nullable: fax }, { name: 'note', type: 'text', nullable: note }]);
    const r = compareSchemas(db([columns(true, false)]), db([columns(false, true)]), options());
    expect(summary(r.ops)).toEqual(['AlterColumn user.fax', 'AlterColumn user.note']);
    expect(r.warnings).toEqual([]);
    expect(downgradeWarnings(downgrade(r.ops))).toEqual(["Column 'user.fax' is set NOT NULL again by the downgrade: the downgrade fails if a row of 'user' holds NULL in it."]);
    // The same in a batch (SQLite), whose copy breaks the constraint.
    const batched = compareSchemas(db([columns(true, false)]), db([columns(false, true)]), options({ capabilities: SQLITE_LIKE }));
    expect(batched.warnings).toEqual([]);
    expect(downgradeWarnings(downgrade(batched.ops))).toEqual(downgradeWarnings(downgrade(r.ops)));
  });

  it('says nothing about a type the models widen; downgradeWarnings says the downgrade narrows it again within its kind, and not where the database checks no type sizes', () => {
    const typed = (name: string, bigint: string, total = 'numeric(10,2)', code = 'char(2)') =>
      model('user', [...base.columns, { name: 'name', type: name }, { name: 'n', type: bigint }, { name: 'total', type: total }, { name: 'code', type: code }]);
    const r = compareSchemas(db([typed('varchar(100)', 'bigint', 'numeric(12,2)', 'char(4)')]), db([typed('varchar(50)', 'integer')]), options());
    expect(summary(r.ops)).toEqual(['AlterColumn user.name', 'AlterColumn user.n', 'AlterColumn user.total', 'AlterColumn user.code']);
    expect(r.warnings).toEqual([]);
    // In the order the downgrade runs them (the upgrade's, last first).
    expect(downgradeWarnings(downgrade(r.ops))).toEqual([
      "Column 'user.code' is changed back from char(4) to char(2) by the downgrade: values that do not fit are cut, rounded or make the downgrade fail.",
      "Column 'user.total' is changed back from numeric(12,2) to numeric(10,2) by the downgrade: values that do not fit are cut, rounded or make the downgrade fail.",
      "Column 'user.n' is changed back from bigint to integer by the downgrade: values that do not fit are cut, rounded or make the downgrade fail.",
      "Column 'user.name' is changed back from varchar(100) to varchar(50) by the downgrade: values that do not fit are cut, rounded or make the downgrade fail.",
    ]);
    // The upgrade's own narrowing is said by the Data loss comment above it: no warning.
    const narrowed = compareSchemas(db([typed('varchar(50)', 'integer')]), db([typed('varchar(100)', 'bigint', 'numeric(12,2)', 'char(4)')]), options());
    expect(narrowed.warnings).toEqual([]);
    expect(downgradeWarnings(downgrade(narrowed.ops))).toEqual([]);
    // SQLite keeps a longer string in a varchar(50): only a change of size, nothing to say.
    const sqlite = compareSchemas(db([typed('varchar(100)', 'integer')]), db([typed('varchar(50)', 'integer')]), options({ capabilities: { ...SQLITE_LIKE, checksTypeSizes: false } }));
    expect(summary(sqlite.ops)).toEqual(['BatchAlterTable user [AlterColumn]']);
    expect(sqlite.warnings).toEqual([]);
    expect(downgradeWarnings(downgrade(sqlite.ops), { checksTypeSizes: false })).toEqual([]);
  });

  it('downgradeWarnings says nothing about a downgrade that changes a type\'s kind (jsonb → json, timestamptz → timestamp, text → integer: the Data loss comments judge those)', () => {
    const typed = (doc: string, at: string, n: string) => model('user', [...base.columns, { name: 'doc', type: doc }, { name: 'at', type: at }, { name: 'n', type: n }]);
    const r = compareSchemas(db([typed('jsonb', 'timestamptz', 'text')]), db([typed('json', 'timestamp', 'integer')]), options({ capabilities: POSTGRES_LIKE }));
    expect(summary(r.ops)).toEqual(['AlterColumn user.doc', 'AlterColumn user.at', 'AlterColumn user.n']);
    expect(r.warnings).toEqual([]);
    expect(downgradeWarnings(downgrade(r.ops))).toEqual([]);
  });

  it('detects a removed column and keeps what it was, so the drop reverses', () => {
    const r = compareSchemas(db([base]), db([user]), options());
    expect(summary(r.ops)).toEqual([
      'DropConstraint user uq_user_email',
      'DropConstraint user ck_user_email',
      'DropIndex user ix_user_name',
      'DropColumn user.email',
      'DropColumn user.name',
      'AlterTableComment user',
    ]);
    expect(only(r.ops.filter((o) => o.kind === 'DropColumn' && o.column === 'name'), 'DropColumn').existing).toEqual({
      type: parseColumnType('varchar(20)'),
      nullable: true,
      default: 'anon',
      comment: 'display name',
    });
    expect(r.changes.map((c) => c.line)).toContain("Detected removed column 'user.email'");
    for (const reversed of downgrade(r.ops)) expect(reversed.kind).not.toBe('Irreversible');
  });

  it('detects type, nullability, default and comment changes in one alter, with everything it was', () => {
    const declared = model('user', [{ name: 'name', type: 'text', nullable: false, default: 'x', comment: 'new' }]);
    const introspected = reflected('user', [col('name', 'varchar(20)', { default: { sql: 'CURRENT_USER' }, comment: 'old', autoincrement: false })]);
    const r = compareSchemas(db([declared]), db([introspected]), options());
    expect(r.ops).toEqual([
      {
        kind: 'AlterColumn',
        table: 'user',
        column: 'name',
        changes: { type: parseColumnType('text'), nullable: false, default: 'x', comment: 'new' },
        existing: { type: parseColumnType('varchar(20)'), nullable: true, default: { sql: 'CURRENT_USER' }, comment: 'old', autoincrement: false },
      },
    ]);
    expect(r.changes.map((c) => c.line)).toEqual([
      "Detected type change from varchar(20) to text on 'user.name'",
      "Detected NOT NULL on column 'user.name'",
      "Detected server default change from CURRENT_USER to 'x' on column 'user.name'",
      "Detected column comment 'user.name'",
    ]);
    expect(r.changes[0]).toMatchObject({ kind: 'modify_type', table: 'user', column: 'name', from: 'varchar(20)', to: 'text' });
    expect(reverseOp(r.ops[0]!)).toEqual({
      kind: 'AlterColumn',
      table: 'user',
      column: 'name',
      changes: { type: parseColumnType('varchar(20)'), nullable: true, default: { sql: 'CURRENT_USER' }, comment: 'old' },
      existing: { type: parseColumnType('text'), nullable: false, default: 'x', comment: 'new', autoincrement: false },
    });
  });

  it("keeps the column's collation and ON UPDATE in existing (MySQL restates the column from them offline)", () => {
    const declared = model('Customer', [{ name: 'Company', type: 'varchar(120)', collation: 'utf8mb3_general_ci' }]);
    const introspected = reflected('Customer', [col('Company', 'varchar(80)', { collation: 'utf8mb3_general_ci' })]);
    const r = compareSchemas(db([declared]), db([introspected]), options({ capabilities: MYSQL_LIKE }));
    expect(r.ops).toEqual([
      {
        kind: 'AlterColumn',
        table: 'Customer',
        column: 'Company',
        changes: { type: parseColumnType('varchar(120)') },
        existing: { type: parseColumnType('varchar(80)'), nullable: true, comment: null, collation: 'utf8mb3_general_ci' },
      },
    ]);
    const stamped = compareSchemas(
      db([model('t', [{ name: 'at', type: 'timestamp', nullable: false, onUpdate: 'CURRENT_TIMESTAMP' }])]),
      db([reflected('t', [col('at', 'timestamp', { onUpdate: 'CURRENT_TIMESTAMP' })])]),
      options({ capabilities: MYSQL_LIKE }),
    );
    expect(only(stamped.ops, 'AlterColumn').existing).toEqual({ type: parseColumnType('timestamp'), nullable: true, comment: null, onUpdate: 'CURRENT_TIMESTAMP' });
    // The downgrade restates the same collation.
    expect(reverseOp(r.ops[0]!)).toMatchObject({ changes: { type: parseColumnType('varchar(80)') }, existing: { collation: 'utf8mb3_general_ci' } });
    // And a generated column's expression (without it, MODIFY COLUMN makes a STORED one plain).
    const generated = { sql: '`Qty` * 2', stored: true };
    const widened = compareSchemas(
      db([model('Line', [{ name: 'Total', type: 'bigint', generated }])]),
      db([reflected('Line', [col('Total', 'int', { generated })])]),
      options({ capabilities: MYSQL_LIKE }),
    );
    expect(only(widened.ops, 'AlterColumn').existing).toEqual({ type: parseColumnType('int'), nullable: true, comment: null, generated });
    expect(reverseOp(widened.ops[0]!)).toMatchObject({ existing: { generated } });
  });

  it('detects NULL allowed, a default removed and a comment removed', () => {
    const r = compareSchemas(db([model('t', [{ name: 'c', type: 'integer' }])]), db([reflected('t', [col('c', 'integer', { nullable: false, default: 0, comment: 'x' })])]), options());
    expect(r.ops).toEqual([
      { kind: 'AlterColumn', table: 't', column: 'c', changes: { nullable: true, default: null, comment: null }, existing: { type: parseColumnType('integer'), nullable: false, default: 0, comment: 'x' } },
    ]);
    expect(r.changes.map((c) => c.line)).toEqual([
      "Detected NULL on column 't.c'",
      "Detected server default change from 0 to none on column 't.c'",
      "Detected column comment 't.c'",
    ]);
  });

  it('treats primary-key columns as NOT NULL on both sides', () => {
    const declared = model('t', [{ name: 'code', type: 'text' }], { primaryKey: ['code'] });
    const sqlite = reflected('t', [col('code', 'text', { nullable: true })], { primaryKey: { columns: ['code'] } });
    expect(compareSchemas(db([declared]), db([sqlite]), options()).ops).toEqual([]);
  });

  it("changes an identity column between GENERATED ALWAYS ('always') and BY DEFAULT (true) where the dialect tells them apart", () => {
    const declared = model('t', [{ name: 'big_id', type: 'bigint', primaryKey: true, autoincrement: 'always' }]);
    const introspected = reflected('t', [col('big_id', 'bigint', { nullable: false, primaryKey: true, autoincrement: true })]);
    const r = compareSchemas(db([declared]), db([introspected]), options({ capabilities: POSTGRES_LIKE }));
    expect(r.changes.map((c) => c.line)).toEqual(["Detected identity change from GENERATED BY DEFAULT to GENERATED ALWAYS on column 't.big_id'"]);
    expect(r.ops).toEqual([
      { kind: 'AlterColumn', table: 't', column: 'big_id', changes: { identity: 'always' }, existing: { type: parseColumnType('bigint'), nullable: false, comment: null, autoincrement: true } },
    ]);
    expect(downgrade(r.ops)).toMatchObject([{ kind: 'AlterColumn', column: 'big_id', changes: { identity: 'by-default' }, existing: { autoincrement: 'always' } }]);
    // And back; elsewhere (MySQL, SQLite) the two are one auto-increment: nothing to do.
    const back = compareSchemas(db([model('t', [{ name: 'big_id', type: 'bigint', primaryKey: true, autoincrement: true }])]), db([{ ...introspected, columns: [{ ...introspected.columns[0]!, autoincrement: 'always' }] }]), options({ capabilities: POSTGRES_LIKE }));
    expect(back.ops).toMatchObject([{ kind: 'AlterColumn', changes: { identity: 'by-default' } }]);
    for (const capabilities of [MYSQL_LIKE, SQLITE_LIKE]) expect(compareSchemas(db([declared]), db([introspected]), options({ capabilities })).ops).toEqual([]);
  });

  it('warns about generated-column and autoincrement differences it cannot alter', () => {
    const declared = model('t', [
      { name: 'id', type: 'integer', autoincrement: true },
      { name: 'g', type: 'integer', generated: { sql: 'id * 2', stored: true } },
    ]);
    const introspected = reflected('t', [col('id', 'integer'), col('g', 'integer', { generated: { sql: 'id * 3', stored: true } })]);
    const r = compareSchemas(db([declared]), db([introspected]), options());
    expect(r.ops).toEqual([]);
    expect(r.warnings).toEqual([
      "Column 't.id' is autoincrement in the models but not in the database; autogenerate cannot change that: alter the column by hand.",
      "Column 't.g' is generated stored as (id * 3) in the database and generated stored as (id * 2) in the models; autogenerate cannot alter a generated column: drop and add it by hand.",
    ]);
    // Removed (the README's "does not detect"): no op, a warning where the models say `false` ...
    const removed = compareSchemas(db([model('t', [{ name: 'id', type: 'integer', autoincrement: false }])]), db([reflected('t', [col('id', 'integer', { autoincrement: true })])]), options());
    expect(removed.ops).toEqual([]);
    expect(removed.warnings).toEqual(["Column 't.id' is not autoincrement in the models but in the database; autogenerate cannot change that: alter the column by hand."]);
    // ... and not set in the models: not compared.
    expect(compareSchemas(db([model('t', [{ name: 'id', type: 'integer' }])]), db([reflected('t', [col('id', 'integer', { autoincrement: true })])]), options()).warnings).toEqual([]);
  });

  it('detects MySQL ENUM member changes as a type change of the column', () => {
    const declared = model('t', [{ name: 'size', type: "enum('s','m','l')" }]);
    const introspected = reflected('t', [col('size', "enum('s','m')")]);
    expect(lines(db([declared]), db([introspected]), options({ capabilities: MYSQL_LIKE }))).toEqual([
      "Detected type change from enum('s','m') to enum('s','m','l') on 't.size'",
    ]);
  });
});

describe('compareSchemas: SQLite enum members (varchar(longest member); members kept only by a check constraint)', () => {
  const sqlite = options({ comparator: sqliteComparator, capabilities: SQLITE_LIKE });
  const item = (members: readonly string[], check: boolean) =>
    model('item', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'size', type: `enum(${members.map((m) => `'${m}'`).join(',')})` }], {
      ...(check ? { checkConstraints: [{ name: 'ck_item_size', expression: `size IN (${members.map((m) => `'${m}'`).join(', ')})` }] } : {}),
    });
  const stored = (members: readonly string[] | undefined) =>
    reflected('item', [col('id', 'integer', { primaryKey: true, nullable: false }), col('size', 'varchar(1)')], {
      ...(members ? { checkConstraints: [{ name: 'ck_item_size', expression: `size IN (${members.map((m) => `'${m}'`).join(', ')})` }] } : {}),
    });

  it('a member replaced by one of the same length, the count kept, is no change: the database keeps only varchar(1)', () => {
    expect(compareSchemas(db([item(['a', 'c'], false)]), db([stored(undefined)]), sqlite).ops).toEqual([]);
  });

  it('with the members in a check constraint, a member replaced by one of the same length is a changed check, in a batch, reversible', () => {
    const r = roundTrip(db([item(['a', 'c'], true)]), db([stored(['a', 'b'])]), sqlite);
    expect(r.comparison.changes.map((c) => c.line)).toEqual(["Detected changed check constraint 'ck_item_size' on table 'item': size IN ('a', 'b') to size IN ('a', 'c')"]);
    expect(summary(r.comparison.ops)).toEqual(['BatchAlterTable item [DropConstraint, CreateCheckConstraint]']);
    expect(only(r.comparison.ops, 'BatchAlterTable').ops[1]).toMatchObject({ name: 'ck_item_size', expression: "size IN ('a', 'c')" });
    expect(r.remainingAfterUpgrade).toEqual([]);
    expect(r.remainingAfterDowngrade).toEqual([]);
    const [undo] = downgrade(r.comparison.ops) as Op[];
    expect(undo).toMatchObject({ kind: 'BatchAlterTable', ops: [{ kind: 'DropConstraint' }, { kind: 'CreateCheckConstraint', expression: "size IN ('a', 'b')" }] });
  });
});

describe('compareSchemas: SQLite expressions that name their own table (drizzle-kit writes "users"."ratio")', () => {
  const sqlite = options({ comparator: sqliteComparator, capabilities: SQLITE_LIKE });
  const columns = [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'ratio', type: 'real' }] as const;

  it('a model whose check and partial index qualify a column by their table compare the same as the database read them (unqualified)', () => {
    const declared = model('users', [...columns], {
      checkConstraints: [{ name: 'ck_r', expression: '"users"."ratio" >= 0' }],
      indexes: [{ name: 'ix_users_ratio', columns: ['ratio'], where: 'users.ratio > 1' }],
    });
    const stored = reflected('users', [col('id', 'integer', { primaryKey: true, nullable: false }), col('ratio', 'real')], {
      checkConstraints: [{ name: 'ck_r', expression: '"ratio" >= 0' }],
      indexes: [{ name: 'ix_users_ratio', columns: ['ratio'], unique: false, where: 'ratio > 1' }],
    });
    expect(compareSchemas(db([declared]), db([stored]), sqlite).ops).toEqual([]);
    // Another table's name is kept: a changed check.
    const other = model('users', [...columns], { checkConstraints: [{ name: 'ck_r', expression: '"other"."ratio" >= 0' }], indexes: [{ name: 'ix_users_ratio', columns: ['ratio'], where: 'users.ratio > 1' }] });
    expect(compareSchemas(db([other]), db([stored]), sqlite).changes.map((c) => c.line)).toEqual([expect.stringMatching(/^Detected changed check constraint 'ck_r'/)]);
  });
});

describe('compareSchemas: indexes and constraints', () => {
  const table = (rest: Parameters<typeof model>[2]) => model('t', [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }], rest);

  it('compares the sort order of index keys (DESC, NULLS FIRST/LAST), the defaults left out', () => {
    const columns = [col('a', 'integer'), col('b', 'integer')];
    const introspected = reflected('t', columns, { indexes: [{ name: 'extras_amt_desc', columns: [{ name: 'a', order: 'desc', nulls: 'last' }], unique: true }] });
    // The same order: nothing.
    const same = table({ indexes: [{ name: 'extras_amt_desc', columns: [{ name: 'a', order: 'desc', nulls: 'last' }], unique: true }] });
    expect(compareSchemas(db([same]), db([introspected]), options()).ops).toEqual([]);
    // Ascending in the models (what models-from-database used to write): a changed index.
    const r = compareSchemas(db([table({ indexes: [{ name: 'extras_amt_desc', columns: ['a'], unique: true }] })]), db([introspected]), options());
    expect(r.changes.map((c) => c.line)).toEqual(["Detected changed index 'extras_amt_desc' on 't': (a desc nulls last) unique to (a) unique"]);
    expect(summary(r.ops)).toEqual(['DropIndex t extras_amt_desc', 'CreateIndex t extras_amt_desc']);
    // DESC with its default NULLS FIRST written out or left out: the same; NULLS FIRST ascending is not.
    const desc = reflected('t', columns, { indexes: [{ name: 'ix_t_a', columns: [{ name: 'a', order: 'desc' }], unique: false }] });
    expect(compareSchemas(db([table({ indexes: [{ columns: [{ name: 'a', order: 'desc', nulls: 'first' }] }] })]), db([desc]), options()).ops).toEqual([]);
    expect(summary(compareSchemas(db([table({ indexes: [{ columns: [{ name: 'a', nulls: 'first' }] }] })]), db([desc]), options()).ops)).toEqual(['DropIndex t ix_t_a', 'CreateIndex t ix_t_a']);
  });

  it('detects indexes added, removed and changed (same name, other definition)', () => {
    const declared = table({ indexes: [{ name: 'ix_a', columns: ['a'] }, { name: 'ix_b', columns: ['b', 'a'], where: 'b > 0' }] });
    const introspected = table({ indexes: [{ name: 'ix_b', columns: ['b'] }, { name: 'ix_old', columns: ['a', 'b'], unique: true, method: 'hash' }] });
    const r = compareSchemas(db([declared]), db([introspected]), options());
    expect(summary(r.ops)).toEqual(['DropIndex t ix_b', 'DropIndex t ix_old', 'CreateIndex t ix_b', 'CreateIndex t ix_a']);
    expect(r.changes.map((c) => c.line)).toEqual([
      "Detected changed index 'ix_b' on 't': (b) to (b, a) where b > 0",
      "Detected removed index 'ix_old' on 't'",
      "Detected added index 'ix_a' on 't' (a)",
    ]);
    expect(only(r.ops.filter((o) => o.kind === 'DropIndex' && o.name === 'ix_old'), 'DropIndex')).toEqual({
      kind: 'DropIndex',
      table: 't',
      name: 'ix_old',
      existing: { name: 'ix_old', columns: ['a', 'b'], unique: true, method: 'hash' },
    });
  });

  it('detects unique constraints added, removed and changed', () => {
    const r = compareSchemas(
      db([table({ uniqueConstraints: [{ name: 'uq_x', columns: ['a', 'b'] }, ['b']] })]),
      db([table({ uniqueConstraints: [{ name: 'uq_x', columns: ['a'] }, { name: 'uq_gone', columns: ['a', 'b'] }] })]),
      options(),
    );
    expect(r.changes.map((c) => c.line)).toEqual([
      "Detected changed unique constraint 'uq_x' on 't': (a) to (a, b)",
      "Detected removed unique constraint 'uq_gone' on 't'",
      "Detected added unique constraint 'uq_t_b' on 't' (b)",
    ]);
    expect(r.ops).toContainEqual({ kind: 'DropConstraint', table: 't', name: 'uq_gone', type: 'unique', existing: { type: 'unique', columns: ['a', 'b'] } });
  });

  it('drops an unnamed database constraint by the name the database gave it, else by the convention', () => {
    const declared = table({});
    const introspected = reflected('t', [col('a', 'integer', { unique: true }), col('b', 'integer', { references: { table: 'o', column: 'id' } })], {
      uniqueConstraints: [{ columns: ['a', 'b'] }],
    });
    const byConvention = compareSchemas(db([declared]), db([introspected]), options());
    expect(summary(byConvention.ops)).toEqual(['DropConstraint t fk_t_b_o', 'DropConstraint t uq_t_a_b', 'DropConstraint t uq_t_a']);
    const comparator: SchemaComparator = {
      ...DEFAULT_COMPARATOR,
      unnamedConstraintName: (type, t, columns) => `${t}_${columns.join('_')}_${type === 'unique' ? 'key' : type === 'foreignkey' ? 'fkey' : 'pkey'}`,
    };
    const byDatabase = compareSchemas(db([declared]), db([introspected]), options({ comparator }));
    expect(summary(byDatabase.ops)).toEqual(['DropConstraint t t_b_fkey', 'DropConstraint t t_a_b_key', 'DropConstraint t t_a_key']);
  });

  it('drops and changes a key reported without a name by the name the database has (constraintNames), not the convention’s', () => {
    // An adopted PostgreSQL table: its keys carry PostgreSQL's default names, so introspection
    // reports them on their columns (or unnamed) and lists the names in constraintNames.
    const names = [
      { type: 'primary', columns: ['id'], name: 'album_pkey' },
      { type: 'unique', columns: ['code'], name: 'album_code_key' },
      { type: 'unique', columns: ['a', 'b'], name: 'album_a_b_key' },
      { type: 'foreignkey', columns: ['artist_id'], referredTable: 'artist', name: 'album_artist_id_fkey' },
    ] as const;
    const introspected = reflected(
      'album',
      [
        col('id', 'integer', { nullable: false, primaryKey: true }),
        col('code', 'text', { unique: true }),
        col('a', 'integer'),
        col('b', 'integer'),
        col('artist_id', 'integer', { references: { table: 'artist', column: 'id' } }),
      ],
      { uniqueConstraints: [{ columns: ['a', 'b'] }], constraintNames: names },
    );
    // Models written from it (no names) compare equal.
    const same = model('album', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'code', type: 'text', unique: true },
      { name: 'a', type: 'integer' },
      { name: 'b', type: 'integer' },
      { name: 'artist_id', type: 'integer', references: 'artist.id' },
    ], { uniqueConstraints: [{ name: null, columns: ['a', 'b'] }] });
    expect(compareSchemas(db([same]), db([introspected]), options()).ops).toEqual([]);
    // Changed: ON DELETE, the unique keys and the primary key's columns.
    const changed = model('album', [
      { name: 'id', type: 'integer' },
      { name: 'code', type: 'text' },
      { name: 'a', type: 'integer', nullable: false },
      { name: 'b', type: 'integer' },
      { name: 'artist_id', type: 'integer', references: { table: 'artist', column: 'id', onDelete: 'cascade' } },
    ], { primaryKey: ['id', 'a'], uniqueConstraints: [['a']] });
    const r = compareSchemas(db([changed]), db([introspected]), options());
    const drops = r.ops.filter((op) => op.kind === 'DropConstraint').map((op) => op.name).sort();
    expect(drops).toEqual(['album_a_b_key', 'album_artist_id_fkey', 'album_code_key', 'album_pkey']);
    // The downgrade creates them again under those names.
    const recreated = downgrade(r.ops).flatMap((op) => ('name' in op && op.kind.startsWith('Create') ? [op.name] : [])).sort();
    expect(recreated).toEqual(['album_a_b_key', 'album_artist_id_fkey', 'album_code_key', 'album_pkey']);
  });

  it('detects foreign keys added, removed and changed', () => {
    const declared = table({
      foreignKeys: [
        { name: 'fk_a', columns: ['a'], referredTable: 'o', referredColumns: ['id'], onDelete: 'cascade' },
        { name: 'fk_new', columns: ['b'], referredTable: 'p', referredColumns: ['id'] },
      ],
    });
    const introspected = table({
      foreignKeys: [
        { name: 'fk_a', columns: ['a'], referredTable: 'o', referredColumns: ['id'] },
        { name: 'fk_gone', columns: ['b'], referredTable: 'q', referredColumns: ['id'], onUpdate: 'set null' },
      ],
    });
    const p = model('p', [{ name: 'id', type: 'integer', primaryKey: true }]);
    const r = compareSchemas(db([declared, p]), db([introspected, p]), options());
    expect(summary(r.ops)).toEqual(['DropConstraint t fk_a', 'DropConstraint t fk_gone', 'CreateForeignKey t fk_a', 'CreateForeignKey t fk_new']);
    expect(r.changes.map((c) => c.line)).toEqual([
      "Detected changed foreign key 'fk_a' on table 't': (a) -> o(id) to (a) -> o(id) on delete cascade",
      "Detected removed foreign key (b) -> q(id) on update set null on table 't'",
      "Detected added foreign key (b) -> p(id) on table 't'",
    ]);
    expect(r.ops[1]).toEqual({
      kind: 'DropConstraint',
      table: 't',
      name: 'fk_gone',
      type: 'foreignkey',
      existing: { type: 'foreignkey', columns: ['b'], referredTable: 'q', referredColumns: ['id'], onUpdate: 'set null' },
    });
  });

  it('detects check constraints added, removed and changed, matching unnamed ones by expression', () => {
    const declared = table({ checkConstraints: [{ name: 'ck_a', expression: 'a > 1' }, { name: 'ck_b', expression: 'b > 0' }] });
    const introspected = reflected('t', [col('a', 'integer'), col('b', 'integer')], {
      checkConstraints: [{ name: 'ck_a', expression: 'a > 0' }, { expression: '("b" > 0)' }, { expression: 'a <> b' }],
    });
    const r = compareSchemas(db([declared]), db([introspected]), options());
    const unnamed = `ck_t_${'' /* hash */}`;
    expect(r.changes.map((c) => c.line)).toEqual([
      "Detected changed check constraint 'ck_a' on table 't': a > 0 to a > 1",
      expect.stringMatching(new RegExp(`^Detected removed check constraint '${unnamed}[0-9a-f]{8}' on table 't'$`)),
    ]);
    expect(summary(r.ops)).toEqual(['DropConstraint t ck_a', expect.stringMatching(/^DropConstraint t ck_t_[0-9a-f]{8}$/), 'CreateCheckConstraint t ck_a']);
  });

  it('detects primary keys added, removed and changed', () => {
    const two = model('t', [{ name: 'a', type: 'integer', nullable: false }, { name: 'b', type: 'integer', nullable: false }], { primaryKey: ['a', 'b'] });
    const one = model('t', [{ name: 'a', type: 'integer', primaryKey: true }, { name: 'b', type: 'integer', nullable: false }]);
    const none = model('t', [{ name: 'a', type: 'integer', nullable: false }, { name: 'b', type: 'integer', nullable: false }]);
    const changed = compareSchemas(db([two]), db([one]), options());
    expect(changed.ops).toEqual([
      { kind: 'DropConstraint', table: 't', name: 'pk_t', type: 'primary', existing: { type: 'primary', columns: ['a'] } },
      { kind: 'CreatePrimaryKey', table: 't', name: 'pk_t', columns: ['a', 'b'] },
    ]);
    expect(changed.changes.map((c) => c.line)).toEqual(["Detected changed primary key on 't': (a) to (a, b)"]);
    expect(lines(db([one]), db([none]))).toEqual(["Detected added primary key (a) on 't'"]);
    expect(lines(db([none]), db([one]))).toEqual(["Detected removed primary key (a) on 't'"]);
  });

  describe('a key another table\'s foreign key refers to', () => {
    const membership = (key: string[], rest: Parameters<typeof model>[2] = {}) =>
      model(
        'membership',
        [
          { name: 'org_id', type: 'integer', nullable: false },
          { name: 'user_id', type: 'integer', nullable: false },
          { name: 'role', type: 'varchar(20)', nullable: false },
        ],
        { primaryKey: key, ...rest },
      );
    const grant = model('grant_', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'org_id', type: 'integer' }, { name: 'user_id', type: 'integer' }], {
      foreignKeys: [{ columns: ['org_id', 'user_id'], referredTable: 'membership', referredColumns: ['org_id', 'user_id'] }],
    });
    const before = db([membership(['org_id', 'user_id']), grant]);
    const after = db([membership(['org_id', 'user_id', 'role'], { uniqueConstraints: [['org_id', 'user_id']] }), grant]);
    const FK = 'fk_grant__org_id_user_id_membership';

    it('drops the foreign key before the primary key changes and creates it after the new unique key, the downgrade the other way round', () => {
      for (const capabilities of [options().capabilities, POSTGRES_LIKE, MYSQL_LIKE]) {
        const r = roundTrip(after, before, options({ capabilities }));
        expect(summary(r.comparison.ops)).toEqual([
          `DropConstraint grant_ ${FK}`,
          'DropConstraint membership pk_membership',
          'CreatePrimaryKey membership pk_membership',
          'CreateUniqueConstraint membership uq_membership_org_id_user_id',
          `CreateForeignKey grant_ ${FK}`,
        ]);
        // The key is created again as it was; its drop and create are no change of their own.
        expect(only(r.comparison.ops, 'CreateForeignKey')).toEqual({ kind: 'CreateForeignKey', table: 'grant_', name: FK, columns: ['org_id', 'user_id'], referredTable: 'membership', referredColumns: ['org_id', 'user_id'] });
        expect(r.comparison.changes.map((c) => c.line)).toEqual([
          "Detected changed primary key on 'membership': (org_id, user_id) to (org_id, user_id, role)",
          "Detected added unique constraint 'uq_membership_org_id_user_id' on 'membership' (org_id, user_id)",
        ]);
        expect(summary(downgrade(r.comparison.ops) as Op[])).toEqual([
          `DropConstraint grant_ ${FK}`,
          'DropConstraint membership uq_membership_org_id_user_id',
          'DropConstraint membership pk_membership',
          'CreatePrimaryKey membership pk_membership',
          `CreateForeignKey grant_ ${FK}`,
        ]);
        expect(r.remainingAfterUpgrade).toEqual([]);
        expect(r.remainingAfterDowngrade).toEqual([]);
        expect(r.comparison.warnings).toEqual([]);
      }
    });

    it('does the same around a unique key the foreign key refers to that changes, and a table dropped that refers to the key', () => {
      const parent = (nullsNotDistinct: boolean) =>
        model('parent', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'code', type: 'varchar(10)' }], {
          uniqueConstraints: [{ name: 'uq_code', columns: ['code'], ...(nullsNotDistinct ? { nullsNotDistinct } : {}) }],
        });
      const child = (name: string) => model(name, [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'code', type: 'varchar(10)', references: 'parent.code' }]);
      const r = roundTrip(db([parent(true), child('child')]), db([parent(false), child('child'), child('old')]), options({ capabilities: POSTGRES_LIKE, dropUnmodeledTables: true }));
      expect(summary(r.comparison.ops)).toEqual([
        'DropConstraint child fk_child_code_parent',
        'DropConstraint old fk_old_code_parent',
        'DropConstraint parent uq_code',
        'CreateUniqueConstraint parent uq_code',
        'CreateForeignKey child fk_child_code_parent',
        'DropTable old',
      ]);
      expect(r.remainingAfterUpgrade).toEqual([]);
      expect(r.remainingAfterDowngrade).toEqual([]);
    });

    it('changes the key inside the batch on SQLite, where foreign keys are checked at COMMIT', () => {
      const r = compareSchemas(after, before, options({ capabilities: SQLITE_LIKE }));
      expect(summary(r.ops)).toEqual(['BatchAlterTable membership [DropConstraint, CreatePrimaryKey, CreateUniqueConstraint]']);
      expect(r.warnings).toEqual([]);
    });

    it('warns, naming the foreign key and its table, when the models leave it no unique key to refer to', () => {
      const warning =
        `Foreign key '${FK}' on table 'grant_' refers to (org_id, user_id) of 'membership', which the models no longer make its primary key or a unique key: ` +
        'the upgrade fails, as a foreign key must refer to one (on every database but MariaDB). ' +
        "Give 'membership' a unique constraint on (org_id, user_id), or change the foreign key, in the models; then autogenerate again.";
      for (const capabilities of [POSTGRES_LIKE, MYSQL_LIKE, SQLITE_LIKE]) {
        const r = compareSchemas(db([membership(['org_id', 'user_id', 'role']), grant]), before, options({ capabilities }));
        expect(r.warnings).toEqual([warning]);
        expect(r.revisionWarnings).toEqual([warning]);
      }
      // A unique index is a key to refer to, too.
      const indexed = membership(['org_id', 'user_id', 'role'], { indexes: [{ name: 'ix_m', columns: ['user_id', 'org_id'], unique: true }] });
      expect(compareSchemas(db([indexed, grant]), before, options()).warnings).toEqual([]);
    });

    it('warns about a foreign key of a table it leaves alone', () => {
      const r = compareSchemas(db([after.tables[0]!]), before, options());
      expect(r.revisionWarnings).toEqual([
        `Foreign key '${FK}' on table 'grant_' (not in the models, left alone) refers to (org_id, user_id) of 'membership', a key this revision drops: ` +
          'the upgrade may fail while the foreign key is there. Drop it before that change and create it again after, by hand.',
      ]);
    });
  });

  it("compares a primary key's columns sorted DESC; the drop keeps them as existing", () => {
    const key = (descending?: string[]) =>
      model('t', [{ name: 'a', type: 'integer', nullable: false }, { name: 'b', type: 'integer', nullable: false }], { primaryKey: { columns: ['a', 'b'], ...(descending ? { descending } : {}) } });
    const changed = compareSchemas(db([key(['b'])]), db([key()]), options());
    expect(changed.changes.map((c) => c.line)).toEqual(["Detected changed primary key on 't': (a, b) to (a, b desc)"]);
    expect(changed.ops).toEqual([
      { kind: 'DropConstraint', table: 't', name: 'pk_t', type: 'primary', existing: { type: 'primary', columns: ['a', 'b'] } },
      { kind: 'CreatePrimaryKey', table: 't', name: 'pk_t', columns: ['a', 'b'], descending: ['b'] },
    ]);
    expect(only(compareSchemas(db([key()]), db([key(['b'])]), options()).ops, 'DropConstraint').existing).toEqual({ type: 'primary', columns: ['a', 'b'], descending: ['b'] });
    expect(compareSchemas(db([key(['b'])]), db([key(['b'])]), options()).ops).toEqual([]);
  });
});

describe('compareSchemas: enum types', () => {
  const mood = (values: string[]) => ({ name: 'mood', values });
  const person = (values: string[]) => model('person', [{ name: 'mood', type: enumType('mood', values) }]);

  it('creates a new enum before the tables that use it and drops a removed one after them', () => {
    const created = compareSchemas(db([person(['sad', 'ok'])], [mood(['sad', 'ok'])]), db([]), options({ capabilities: POSTGRES_LIKE }));
    expect(summary(created.ops)).toEqual(['CreateEnum mood', 'CreateTable person']);
    expect(created.changes.map((c) => c.line)).toEqual(["Detected added enum 'mood' (sad, ok)", "Detected added table 'person'"]);
    const dropped = compareSchemas(db([]), db([person(['sad', 'ok'])], [mood(['sad', 'ok'])]), options({ capabilities: POSTGRES_LIKE, dropUnmodeledTables: true }));
    expect(dropped.ops).toEqual([
      { kind: 'DropTable', table: 'person', existing: person(['sad', 'ok']) },
      { kind: 'DropEnum', name: 'mood', existing: { values: ['sad', 'ok'] } },
    ]);
    expect(downgrade(dropped.ops).map((o) => o.kind)).toEqual(['CreateEnum', 'CreateTable']);
  });

  it('adds new members in place, and compares enum columns by the enum name', () => {
    const r = compareSchemas(
      db([person(['new_first', 'sad', 'meh', 'ok', 'happy', 'ecstatic'])], [mood(['new_first', 'sad', 'meh', 'ok', 'happy', 'ecstatic'])]),
      db([person(['sad', 'ok'])], [mood(['sad', 'ok'])]),
      options({ capabilities: POSTGRES_LIKE }),
    );
    expect(r.ops).toEqual([
      { kind: 'AddEnumValue', name: 'mood', value: 'new_first', before: 'sad' },
      { kind: 'AddEnumValue', name: 'mood', value: 'meh', before: 'ok' },
      { kind: 'AddEnumValue', name: 'mood', value: 'happy', after: 'ok' },
      { kind: 'AddEnumValue', name: 'mood', value: 'ecstatic', after: 'happy' },
    ]);
    expect(r.changes[1]!.line).toBe("Detected added value 'meh' to enum 'mood'");
  });

  it('warns, with no op, when members were removed or reordered', () => {
    for (const values of [['ok'], ['ok', 'sad'], ['ok', 'sad', 'new']]) {
      const r = compareSchemas(db([person(values)], [mood(values)]), db([person(['sad', 'ok'])], [mood(['sad', 'ok'])]), options({ capabilities: POSTGRES_LIKE }));
      expect(r.ops).toEqual([]);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/^Enum 'mood' has members the models no longer list, or lists in another order \(database: sad, ok; models: /);
      expect(r.warnings[0]).toContain('by hand');
    }
  });

  it('leaves an enum a remaining table uses alone', () => {
    const legacy = reflected('legacy', [col('m', 'mood')]);
    const r = compareSchemas(db([]), db([legacy], [mood(['sad'])]), options({ capabilities: POSTGRES_LIKE }));
    expect(r.ops).toEqual([]);
    expect(r.warnings).toContain("Enum 'mood' is in the database but not in the models; left alone: table 'legacy' still uses it.");
  });

  it('never drops an enum no column uses (no model declared it), even with dropUnmodeledTables; a warning says how to drop it', () => {
    const plain = model('person', [{ name: 'id', type: 'integer', primaryKey: true }]);
    for (const dropUnmodeledTables of [false, true]) {
      const r = compareSchemas(db([plain]), db([plain], [mood(['sad', 'ok'])]), options({ capabilities: POSTGRES_LIKE, dropUnmodeledTables }));
      expect(r.ops).toEqual([]);
      expect(r.warnings).toEqual([
        "Enum 'mood' is in the database but not in the models, and no column of the tables compared uses it; left alone: " +
          'autogenerate drops an enum type only with the columns that used it (a function, or a table the models leave out, may use it). ' +
          "If nothing does, drop it by hand: await op.dropEnum('mood', { existing: { values: ['sad', 'ok'] } }).",
      ]);
    }
    const elsewhere = compareSchemas(db([]), db([], [{ name: 'mood', schema: 'audit', values: ['a'] }]), options({ capabilities: POSTGRES_LIKE }));
    expect(elsewhere.ops).toEqual([]);
    expect(elsewhere.warnings[0]).toContain("op.dropEnum('mood', { schema: 'audit', existing: { values: ['a'] } })");
  });

  it('drops an enum with the last columns that used it: a column dropped, or changed to another type, in the same revision', () => {
    const withMood = model('person', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'mood', type: enumType('mood', ['sad', 'ok']) }]);
    const database = db([withMood], [mood(['sad', 'ok'])]);
    const dropped = compareSchemas(db([model('person', [{ name: 'id', type: 'integer', primaryKey: true }])]), database, options({ capabilities: POSTGRES_LIKE }));
    expect(summary(dropped.ops)).toEqual(['DropColumn person.mood', 'DropEnum mood']);
    expect(dropped.changes.map((c) => c.line)).toEqual(["Detected removed column 'person.mood'", "Detected removed enum 'mood'"]);
    expect(downgrade(dropped.ops).map((o) => o.kind)).toEqual(['CreateEnum', 'AddColumn']);
    const retyped = compareSchemas(db([model('person', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'mood', type: 'text' }])]), database, options({ capabilities: POSTGRES_LIKE }));
    expect(summary(retyped.ops)).toEqual(['AlterColumn person.mood', 'DropEnum mood']);
  });

  it('keeps an enum while any column that stays uses it', () => {
    const both = model('person', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'mood', type: enumType('mood', ['sad']) }, { name: 'was', type: enumType('mood', ['sad']) }]);
    const database = db([both], [mood(['sad'])]);
    // One of two columns dropped.
    const one = compareSchemas(db([model('person', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'mood', type: 'mood' }])]), database, options({ capabilities: POSTGRES_LIKE }));
    expect(summary(one.ops)).toEqual(['DropColumn person.was']);
    expect(one.warnings).toContain("Enum 'mood' is in the database but not in the models; left alone: table 'person' still uses it.");
    // A column whose type comparison is switched off keeps its type.
    const off = compareSchemas(
      db([model('person', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'mood', type: 'text' }, { name: 'was', type: 'text' }])]),
      database,
      options({ capabilities: POSTGRES_LIKE, compareType: ({ declared }) => (declared.name === 'was' ? false : undefined) }),
    );
    expect(summary(off.ops)).toEqual(['AlterColumn person.mood']);
  });

  it('ignores enum objects on a dialect without named enums', () => {
    expect(compareSchemas(db([], [mood(['a'])]), db([]), options()).ops).toEqual([]);
  });
});

describe('compareSchemas: views, triggers and rules', () => {
  const invoice = model('invoice', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'total', type: 'numeric(10,2)' }, { name: 'note', type: 'text' }]);
  const objects = [
    { type: 'view' as const, name: 'v_sales', table: 'v_sales', sql: 'SELECT total FROM invoice', references: [{ table: 'invoice', column: 'total' }, { table: 'v_sales' }] },
    { type: 'trigger' as const, name: 'trg_audit', table: 'invoice', sql: '…', references: [{ table: 'invoice' }] },
  ];

  it('warns about each object over a column that is altered, renamed or dropped, and never touches them', () => {
    const declared = model('invoice', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'total', type: 'numeric(12,2)' }]);
    const r = compareSchemas(db([declared]), db([invoice], [], objects), options());
    expect(summary(r.ops)).toEqual(['AlterColumn invoice.total', 'DropColumn invoice.note']);
    expect(r.warnings).toEqual([
      "view 'v_sales' uses column 'invoice.total', which this revision alters",
      "trigger 'trg_audit' uses table 'invoice', whose column 'invoice.total' this revision alters",
      "trigger 'trg_audit' uses table 'invoice', whose column 'invoice.note' this revision drops",
    ]);
  });

  it('warns when a table they use is dropped', () => {
    const r = compareSchemas(db([]), db([invoice], [], objects), options({ dropUnmodeledTables: true }));
    expect(r.warnings).toEqual(["view 'v_sales' uses table 'invoice', which this revision drops", "trigger 'trg_audit' uses table 'invoice', which this revision drops"]);
  });
});

describe('compareSchemas: batch mode (SQLite)', () => {
  it("groups each table's changes into one BatchAlterTable, foreign keys included", () => {
    const declared = model('post', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'title', type: 'text', nullable: false },
      { name: 'user_id', type: 'integer', references: 'user.id' },
    ], { indexes: [{ columns: ['title'] }] });
    const introspected = reflected('post', [col('id', 'integer', { primaryKey: true, nullable: false }), col('title', 'varchar(10)'), col('old', 'text')]);
    const r = compareSchemas(db([declared, user]), db([introspected, user]), options({ capabilities: SQLITE_LIKE }));
    expect(summary(r.ops)).toEqual(['BatchAlterTable post [AddColumn, AlterColumn, DropColumn, CreateIndex, CreateForeignKey]']);
    expect(r.changes.map((c) => c.kind)).toEqual(['add_column', 'modify_type', 'modify_nullable', 'remove_column', 'add_index', 'add_fk']);
    const batch = only(r.ops, 'BatchAlterTable');
    expect(batch.options).toEqual({});
    expect(downgrade(r.ops)[0]!.kind).toBe('BatchAlterTable');
  });
});

describe('compareSchemas: purity', () => {
  it('never changes its (deep-frozen) inputs and returns frozen ops that share nothing with them', () => {
    const models = db([post, user], [{ name: 'mood', values: ['a', 'b'] }]);
    const database = db([reflected('user', [col('id', 'integer')])], [{ name: 'mood', values: ['a'] }]);
    const before = JSON.stringify([models, database]);
    const r = compareSchemas(models, database, options({ capabilities: POSTGRES_LIKE, dropUnmodeledTables: true }));
    expect(JSON.stringify([models, database])).toBe(before);
    expect(r.ops.length).toBeGreaterThan(0);
    expect(Object.isFrozen(r)).toBe(true);
    for (const op of r.ops) {
      expect(Object.isFrozen(op)).toBe(true);
      if (op.kind === 'CreateTable') {
        expect(op.table).not.toBe(models.tables.find((t) => t.name === op.table.name));
        expect(Object.isFrozen(op.table.columns[0]!.type)).toBe(true);
      }
    }
    expect(() => (r.ops as Op[]).push(r.ops[0]!)).toThrow();
  });

  it('names what it creates with the naming convention it is given', () => {
    const convention = { ...DEFAULT_NAMING_CONVENTION, uq: 'unique_%(table)s_%(column_0_name)s' };
    const declared = model('t', [{ name: 'a', type: 'integer', unique: true }]);
    const r = compareSchemas(db([declared]), db([reflected('t', [col('a', 'integer')])]), options({ namingConvention: convention }));
    expect(summary(r.ops)).toEqual(['CreateUniqueConstraint t unique_t_a']);
  });
});

describe('compareSchemas: foreign keys that point nowhere (NoReferencedTableError, NoReferencedColumnError)', () => {
  const author = model('author', [{ name: 'id', type: 'integer', primaryKey: true }]);
  const post = (references: string) =>
    model('post', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'author_id', type: 'integer', references },
    ]);

  function thrown(fn: () => unknown): unknown {
    try {
      fn();
    } catch (e) {
      return e;
    }
    throw new Error('did not throw');
  }

  it('refuses a reference to a table neither the models nor the database have, naming the table, column and missing table', () => {
    const error = thrown(() => compareSchemas(db([post('nosuch.id'), author]), db([]), options({ bind: 'db2' })));
    expect(error).toBeInstanceOf(NoReferencedTableError);
    expect((error as NoReferencedTableError).reference).toEqual({ bind: 'db2', table: 'post', columns: ['author_id'], referredTable: 'nosuch', referredColumns: ['id'] });
    expect((error as Error).message).toBe(
      "[db2] Table 'post' has a foreign key (author_id) to 'nosuch'(id), a table that is neither in the models nor in the database: " +
        "correct the reference (references: 'Table.Column', or the foreign key's referredTable), or add table 'nosuch' to the models.",
    );
    // A table-level foreign key too, on a table both sides have.
    const withFk = model('post', [{ name: 'author_id', type: 'integer' }], { foreignKeys: [{ columns: ['author_id'], referredTable: 'writer', referredColumns: ['id'] }] });
    expect(() => compareSchemas(db([withFk]), db([reflected('post', [col('author_id', 'integer')])]), options())).toThrow(NoReferencedTableError);
  });

  it('refuses a reference to a column the referred table has on neither side, listing its columns', () => {
    const error = thrown(() => compareSchemas(db([post('author.uid'), author]), db([reflected('author', [col('id', 'integer')])]), options()));
    expect(error).toBeInstanceOf(NoReferencedColumnError);
    expect((error as NoReferencedColumnError).column).toBe('uid');
    expect((error as Error).message).toBe(
      "Table 'post' has a foreign key (author_id) to 'author'(uid), and table 'author' has no column 'uid' (its columns: id): correct the reference, or add the column to the models.",
    );
  });

  it('accepts a referred table only the database has, or one the include filters leave out, and a column only one side has', () => {
    // Only in the database (left alone with a warning).
    expect(compareSchemas(db([post('author.id')]), db([reflected('author', [col('id', 'integer')])]), options()).ops.map((o) => o.kind)).toEqual(['CreateTable']);
    // In the models, excluded by includeName.
    const excluded = options({ includeName: (name) => name !== 'author' });
    expect(summary(compareSchemas(db([post('author.id'), author]), db([]), excluded).ops)).toEqual(['CreateTable post']);
    // A column the models add to the referred table.
    const wider = model('author', [...author.columns, { name: 'code', type: 'integer', unique: true }]);
    expect(() => compareSchemas(db([post('author.code'), wider]), db([author]), options())).not.toThrow();
  });

  it('does not check a reference into a schema neither side has (not read), nor one the database table already has', () => {
    const billing = model('invoice', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'customer_id', type: 'integer' }], {
      foreignKeys: [{ columns: ['customer_id'], referredSchema: 'crm', referredTable: 'customer', referredColumns: ['id'] }],
    });
    expect(summary(compareSchemas(db([billing]), db([]), options()).ops)).toEqual(['CreateTable invoice']);
    // A schema that was read (a table of the models is in it): the missing table is refused.
    const crm = { ...model('contact', [{ name: 'id', type: 'integer', primaryKey: true }]), schema: 'crm' };
    expect(() => compareSchemas(db([billing, crm]), db([]), options())).toThrow(/to 'crm\.customer'\(id\), a table that is neither in the models nor in the database/);
    // SQLite keeps a foreign key to a missing table: an adopted database with one compares as it is.
    const dangling = reflected('post', [col('id', 'integer', { nullable: false, primaryKey: true }), col('author_id', 'integer', { references: { table: 'gone', column: 'id' } })]);
    expect(compareSchemas(db([post('gone.id')]), db([dangling]), options()).ops).toEqual([]);
  });
});
