import type { IncludeObjectContext, TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compare-schemas.js';
import type { CompareOptions } from './compare-options.js';
import { IncludeFilter } from './include-filter.js';
import { prepareComparison } from './prepare-comparison.js';
import { col, db, downgrade, model, options, POSTGRES_LIKE, reflected, SQLITE_LIKE, summary } from '../testing/snapshot-fixture.js';

const declared = model('t', [{ name: 'a', type: 'text', default: 'x' }, { name: 'new_col', type: 'integer' }], { indexes: [{ name: 'ix_new', columns: ['a'] }] });
const introspected = reflected('t', [col('a', 'varchar(10)', { default: 'y' }), col('old_col', 'date')], { indexes: [{ name: 'ix_old', columns: ['old_col'], unique: false }] });
const models = db([declared, model('only_models', [{ name: 'code', type: 'text' }])], [{ name: 'mood', values: ['a'] }]);
const database = db([introspected, reflected('only_db', [col('id', 'integer')]), reflected('tmp_x', [col('id', 'integer')])], [{ name: 'old_enum', values: ['z'] }]);

describe('compareSchemas: hooks', () => {
  it('includeName leaves tables and enums of either side out before anything else is asked', () => {
    const names: string[] = [];
    const objects: string[] = [];
    const r = compareSchemas(models, database, options({
      capabilities: POSTGRES_LIKE,
      dropUnmodeledTables: true,
      includeName: (name, type, parent) => {
        names.push(`${type} ${name} ${JSON.stringify(parent)}`);
        return !name.startsWith('only_') && name !== 'mood' && name !== 'tmp_x';
      },
      includeObject: (o) => {
        objects.push(`${o.type} ${o.name}`);
        return true;
      },
    }));
    expect(names.sort()).toEqual(['enum mood {}', 'enum old_enum {}', 'table only_db {}', 'table only_models {}', 'table t {}', 'table tmp_x {}']);
    expect(objects).not.toContain('table only_db');
    expect(objects).not.toContain('table tmp_x');
    expect(summary(r.ops)).toEqual(['DropIndex t ix_old', 'AddColumn t.new_col', 'AlterColumn t.a', 'DropColumn t.old_col', 'CreateIndex t ix_new']);
    // old_enum is compared (no column uses it, so it is left alone with a warning); mood is not.
    expect(r.warnings.filter((w) => w.startsWith('Enum '))).toEqual([expect.stringMatching(/^Enum 'old_enum' is in the database but not in the models, and no column/)]);
  });

  it('includeObject is asked once about each object (a pair of one name once, from the models: Alembic\'s reflected=False, compare_to), and an excluded one is neither added, dropped nor compared', () => {
    const asked: IncludeObjectContext[] = [];
    const r = compareSchemas(models, database, options({
      dropUnmodeledTables: true,
      renames: { reject: ['t.old_col=t.new_col'] },
      includeObject: (o) => {
        asked.push(o);
        return !['only_db', 'only_models', 'a', 'ix_old'].includes(o.name);
      },
    }));
    expect(summary(r.ops)).toEqual(['AddColumn t.new_col', 'DropColumn t.old_col', 'CreateIndex t ix_new', 'DropTable tmp_x']);
    const seen = asked.map((o) => `${o.type} ${o.table ?? '-'}.${o.name} ${o.reflected ? 'database' : 'models'}${o.hasCounterpart ? ' paired' : ''}`);
    expect(seen.sort()).toEqual([
      'column t.a models paired',
      'column t.new_col models',
      'column t.old_col database',
      'index t.ix_new models',
      'index t.ix_old database',
      'table -.only_db database',
      'table -.only_models models',
      'table -.t models paired',
      'table -.tmp_x database',
    ]);
  });

  it("a new table's indexes are asked about as Alembic asks (its keys, foreign keys and checks go with it): one left out is not created", () => {
    const parent = model('parent', [{ name: 'id', type: 'integer', primaryKey: true }]);
    const child = model(
      'child',
      [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'parent_id', type: 'integer' },
        { name: 'code', type: 'text' },
      ],
      {
        foreignKeys: [{ name: 'fk_child_parent', columns: ['parent_id'], referredTable: 'parent', referredColumns: ['id'] }],
        uniqueConstraints: [{ name: 'uq_child_code', columns: ['code'] }],
        checkConstraints: [{ name: 'ck_child_id', expression: 'id > 0' }],
        indexes: [
          { name: 'ix_child_kept', columns: ['parent_id'] },
          { name: 'ix_child_skipped', columns: ['code', 'id'], unique: true },
        ],
      },
    );
    const modelsWithNew = db([parent, child]);
    const empty = db([]);
    for (const capabilities of [POSTGRES_LIKE, SQLITE_LIKE]) {
      const asked: IncludeObjectContext[] = [];
      const r = compareSchemas(modelsWithNew, empty, options({
        capabilities,
        includeObject: (o) => {
          asked.push(o);
          return o.name !== 'ix_child_skipped';
        },
      }));
      expect(asked.filter((o) => o.table === 'child')).toEqual([
        { type: 'index', name: 'ix_child_kept', table: 'child', reflected: false, hasCounterpart: false },
        { type: 'index', name: 'ix_child_skipped', table: 'child', reflected: false, hasCounterpart: false },
      ]);
      expect(summary(r.ops)).toEqual(['CreateTable parent', 'CreateTable child']);
      const created = r.ops.find((op) => op.kind === 'CreateTable' && op.table.name === 'child');
      if (created?.kind !== 'CreateTable') throw new Error('child is not created');
      expect(created.table.indexes.map((ix) => ix.name)).toEqual(['ix_child_kept']);
      expect(created.table.uniqueConstraints.map((k) => k.name)).toEqual(['uq_child_code']);
      expect(created.table.foreignKeys.map((k) => k.name)).toEqual(['fk_child_parent']);
      expect(created.table.checkConstraints.map((k) => k.name)).toEqual(['ck_child_id']);
      // The next comparison, with the table created so: nothing to do (the index is still left out).
      const after = db([parent, { ...child, indexes: child.indexes.filter((ix) => ix.name === 'ix_child_kept') }]);
      expect(compareSchemas(modelsWithNew, after, options({ capabilities, includeObject: (o) => o.name !== 'ix_child_skipped' })).ops).toEqual([]);
    }
  });

  it("a dropped table's indexes are asked about (reflected): one left out goes with the table and the downgrade does not create it again", () => {
    const old = reflected('old', [col('id', 'integer', { nullable: false }), col('code', 'text')], {
      primaryKey: { name: 'old_pkey', columns: ['id'] },
      indexes: [
        { name: 'ix_old_code', columns: ['code'], unique: false },
        { name: 'ix_old_managed_elsewhere', columns: ['code', 'id'], unique: true },
      ],
    });
    const asked: IncludeObjectContext[] = [];
    const r = compareSchemas(db([]), db([old]), options({
      dropUnmodeledTables: true,
      includeObject: (o) => {
        asked.push(o);
        return o.name !== 'ix_old_managed_elsewhere';
      },
    }));
    expect(asked).toEqual([
      { type: 'table', name: 'old', reflected: true, hasCounterpart: false },
      { type: 'index', name: 'ix_old_code', table: 'old', reflected: true, hasCounterpart: false },
      { type: 'index', name: 'ix_old_managed_elsewhere', table: 'old', reflected: true, hasCounterpart: false },
    ]);
    expect(summary(r.ops)).toEqual(['DropTable old']);
    const back = downgrade(r.ops);
    expect(back.map((op) => (op.kind === 'CreateTable' ? op.table.indexes.map((ix) => ix.name) : op.kind))).toEqual([['ix_old_code']]);
  });

  it('asks each (type, name, parent) once per comparison: both sides of every pair, and again through the rename candidates and a second comparison sharing the answers', () => {
    // Every kind of object on both sides, paired by name, by definition and not at all; an enum type too.
    const shared = (extra: Partial<TableSnapshot> = {}) => ({
      primaryKey: { name: 'pk_t', columns: ['id'] },
      foreignKeys: [{ name: 'fk_t_p', columns: ['p'], referredTable: 'p', referredColumns: ['id'] }],
      uniqueConstraints: [{ name: 'uq_t_code', columns: ['code'] }],
      checkConstraints: [{ name: 'ck_t_id', expression: 'id > 0' }],
      ...extra,
    });
    const m = db(
      [
        model('p', [{ name: 'id', type: 'integer', primaryKey: true }]),
        model('t', [{ name: 'id', type: 'integer', nullable: false }, { name: 'p', type: 'integer' }, { name: 'code', type: 'text' }, { name: 'new_col', type: 'date' }], {
          ...shared(),
          indexes: [{ name: 'ix_same', columns: ['p'] }, { name: 'ix_models_name', columns: ['code', 'p'] }],
        }),
      ],
      [{ name: 'mood', values: ['a', 'b'] }],
    );
    const d = db(
      [
        reflected('p', [col('id', 'integer', { nullable: false })], { primaryKey: { name: 'p_pkey', columns: ['id'] } }),
        reflected('t', [col('id', 'integer', { nullable: false }), col('p', 'integer'), col('code', 'text'), col('old_col', 'text')], shared({
          indexes: [{ name: 'ix_same', columns: ['p'], unique: false }, { name: 'ix_db_name', columns: ['code', 'p'], unique: false }],
        })),
        reflected('gone', [col('id', 'integer')], { indexes: [{ name: 'ix_gone', columns: ['id'], unique: false }] }),
      ],
      [{ name: 'mood', values: ['a'] }],
    );
    const counts = new Map<string, number>();
    const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    const include = new IncludeFilter({
      includeName: (name, type, parent) => (count(`name ${type} ${parent.schema ?? ''}.${name}`), true),
      includeObject: (o) => (count(`object ${o.type} ${o.schema ?? ''}.${o.table ?? ''}.${o.name}`), true),
    });
    const base = options({ capabilities: POSTGRES_LIKE, dropUnmodeledTables: true, renames: { reject: ['t.old_col=t.new_col'] }, ...include.hooks() });
    // As compareBind does: the rename candidates (twice: asked again after answers), then the comparison.
    prepareComparison(m, d, base);
    prepareComparison(m, d, base);
    const r = compareSchemas(m, d, base);
    expect(summary(r.ops)).toEqual(['AddEnumValue mood b', 'AddColumn t.new_col', 'DropColumn t.old_col', 'RenameIndex t ix_db_name -> ix_models_name', 'DropTable gone']);
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
    // (A key, foreign key, check or index the same on both sides is not asked about: nothing would change it.)
    expect([...counts.keys()].sort()).toEqual([
      'name enum .mood',
      'name table .gone',
      'name table .p',
      'name table .t',
      'object column .p.id',
      'object column .t.code',
      'object column .t.id',
      'object column .t.new_col',
      'object column .t.old_col',
      'object column .t.p',
      'object enum ..mood',
      'object index .gone.ix_gone',
      'object index .t.ix_db_name',
      'object index .t.ix_models_name',
      'object table ..gone',
      'object table ..p',
      'object table ..t',
    ]);
  });

  it('without shared answers, one compareSchemas still asks about a pair of one name once', () => {
    const counts = new Map<string, number>();
    compareSchemas(models, database, options({
      capabilities: POSTGRES_LIKE,
      dropUnmodeledTables: true,
      renames: { reject: ['t.old_col=t.new_col'] },
      includeObject: (o) => (counts.set(`${o.type} ${o.table ?? ''}.${o.name}`, (counts.get(`${o.type} ${o.table ?? ''}.${o.name}`) ?? 0) + 1), true),
    }));
    expect(counts.get('table .t')).toBe(1);
    expect(counts.get('column t.a')).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('compareType: false turns type comparison off, a function decides or falls back to the comparator', () => {
    const t = (compareType: CompareOptions['compareType']) =>
      compareSchemas(models, database, options({ compareType, compareServerDefault: false, renames: { reject: ['t.old_col=t.new_col'] } })).changes
        .filter((c) => c.kind === 'modify_type')
        .map((c) => c.line);
    expect(t(undefined)).toEqual(["Detected type change from varchar(10) to text on 't.a'"]);
    expect(t(true)).toEqual(["Detected type change from varchar(10) to text on 't.a'"]);
    expect(t(false)).toEqual([]);
    expect(t(() => false)).toEqual([]);
    expect(t(() => undefined)).toEqual(["Detected type change from varchar(10) to text on 't.a'"]);
    const calls: string[] = [];
    const same = db([model('t', [{ name: 'a', type: 'text' }])]);
    compareSchemas(same, same, options({ compareType: (c) => (calls.push(`${c.table}.${c.declared.name} ${c.declaredType.name}/${c.reflectedType.name}`), true) }));
    expect(calls).toEqual(['t.a text/text']);
    expect(compareSchemas(same, same, options({ compareType: () => true })).changes.map((c) => c.kind)).toEqual(['modify_type']);
  });

  it('compareServerDefault: false turns default comparison off, a function decides or falls back to the comparator', () => {
    const d = (compareServerDefault: CompareOptions['compareServerDefault']) =>
      compareSchemas(models, database, options({ compareServerDefault, compareType: false, renames: { reject: ['t.old_col=t.new_col'] } })).changes
        .filter((c) => c.kind === 'modify_default')
        .map((c) => c.line);
    expect(d(undefined)).toEqual(["Detected server default change from 'y' to 'x' on column 't.a'"]);
    expect(d(false)).toEqual([]);
    expect(d(() => false)).toEqual([]);
    expect(d(() => undefined)).toHaveLength(1);
    const same = db([model('t', [{ name: 'a', type: 'text', default: 'x' }])]);
    expect(compareSchemas(same, same, options({ compareServerDefault: ({ declared, reflected: r }) => declared.default !== r.default || undefined })).ops).toEqual([]);
    expect(compareSchemas(same, same, options({ compareServerDefault: () => true })).changes.map((c) => c.kind)).toEqual(['modify_default']);
  });
});
