import type { IncludeObjectContext } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compare-schemas.js';
import type { CompareOptions } from './compare-options.js';
import { col, db, model, options, POSTGRES_LIKE, reflected, summary } from '../testing/snapshot-fixture.js';

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

  it('includeObject is asked once about each object of each side, and an excluded one is neither added, dropped nor compared', () => {
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
      'column t.a database paired',
      'column t.a models paired',
      'column t.new_col models',
      'column t.old_col database',
      'index t.ix_new models',
      'index t.ix_old database',
      'table -.only_db database',
      'table -.only_models models',
      'table -.t database paired',
      'table -.t models paired',
      'table -.tmp_x database',
    ]);
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
