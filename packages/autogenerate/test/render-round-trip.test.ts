import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createModuleLoader,
  enumType,
  initRepository,
  loadRevisionModule,
  parseColumnType,
  reverseOp,
  ScriptDirectory,
  type BatchInnerOp,
  type IrreversibleOp,
  type Op,
  type OpKind,
} from '@multidb/core';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRevisionBody, reverseOps } from '../src/index.js';
import { collectingOperations, collectOps, ODD_NAMING_CONVENTION, type RevisionBodyFn } from './support/collect-ops.js';
import { typecheckFiles } from './support/typecheck-revision.js';

/**
 * The proof of the renderer: ops → rendered revision → written by core's ScriptDirectory →
 * imported by core's module loader → its upgrade(op) and downgrade(op) run on an `op` facade that
 * collects op objects → the same ops (and their reverse). Replayed with a naming convention unlike
 * the one that built the ops, so a name the file does not give explicitly shows up as a difference.
 */

const CORE_INDEX = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'src', 'index.ts');

/** Names that need escaping or quoting somewhere: quotes, backslash, backtick, `${}`, line breaks, unicode. */
const NASTY = {
  order: 'order',
  apostrophe: "it's",
  quotes: 'say "hi"',
  backtick: 'a`b',
  space: 'with space',
  template: '${x}',
  backslash: 'back\\slash',
  newline: 'line\nbreak',
  unicode: 'café 表 🎉',
  separator: 'para\u2028graph',
};

/** Every top-level op kind, checked by the compiler to be complete. */
const TOP_LEVEL_KINDS = {
  CreateTable: true,
  DropTable: true,
  RenameTable: true,
  AddColumn: true,
  DropColumn: true,
  AlterColumn: true,
  RenameColumn: true,
  CreateIndex: true,
  DropIndex: true,
  RenameIndex: true,
  CreateUniqueConstraint: true,
  CreateCheckConstraint: true,
  CreateForeignKey: true,
  CreatePrimaryKey: true,
  DropConstraint: true,
  BatchAlterTable: true,
  Execute: true,
  BulkInsert: true,
  CreateEnum: true,
  DropEnum: true,
  AddEnumValue: true,
  AlterTableComment: true,
} as const satisfies Record<OpKind, true>;

const BATCH_KINDS = {
  AddColumn: true,
  DropColumn: true,
  AlterColumn: true,
  RenameColumn: true,
  CreateIndex: true,
  DropIndex: true,
  RenameIndex: true,
  CreateUniqueConstraint: true,
  CreateCheckConstraint: true,
  CreateForeignKey: true,
  CreatePrimaryKey: true,
  DropConstraint: true,
} as const satisfies Record<BatchInnerOp['kind'], true>;

/** Reversible ops of every kind but the irreversible ones, written as a person would (default convention). */
const reversible: RevisionBodyFn = async (op) => {
  await op.createEnum('mood', ['sad', 'ok', "it's fine"], { schema: 'app' });
  await op.createTable(
    NASTY.order,
    [
      { name: 'id', type: 'integer', primaryKey: true, autoincrement: true },
      { name: NASTY.apostrophe, type: 'varchar(50)', nullable: false, default: "O'Reilly", comment: NASTY.quotes },
      { name: NASTY.quotes, type: 'numeric(10,2)', default: -1.5, unique: true },
      { name: NASTY.backtick, type: enumType('mood', ['sad', 'ok', "it's fine"]) },
      { name: NASTY.space, type: 'timestamp', default: { sql: 'CURRENT_TIMESTAMP' }, onUpdate: 'CURRENT_TIMESTAMP', collation: 'C' },
      { name: NASTY.template, type: 'integer', generated: { sql: 'id * 2', stored: true } },
      { name: NASTY.backslash, type: 'integer', references: { table: 'parent', column: 'id', onDelete: 'cascade', onUpdate: 'restrict' } },
      { name: NASTY.newline, type: 'text[]', nullable: true },
      { name: NASTY.unicode, type: 'boolean', default: false },
      { name: NASTY.separator, type: 'int unsigned', default: null },
    ],
    {
      schema: 'app',
      primaryKey: { name: 'pk_nasty', columns: ['id'] },
      foreignKeys: [{ columns: [NASTY.backslash], referredTable: 'parent', referredSchema: 'other', referredColumns: ['id'], onDelete: 'set null' }],
      uniqueConstraints: [[NASTY.apostrophe, NASTY.quotes], { name: 'uq_named', columns: [NASTY.space] }],
      checkConstraints: [{ name: 'ck_positive', expression: `"${NASTY.quotes}" > 0 AND '\\' <> '${'$'}{x}'` }, { expression: 'id > 0' }],
      indexes: [
        { columns: [NASTY.apostrophe] },
        { name: 'ix_partial', columns: ['id'], unique: true, where: `"${NASTY.space}" IS NOT NULL` },
        { name: 'ix_expr', columns: [{ sql: `lower("${NASTY.apostrophe}")` }, 'id'], method: 'gin' },
      ],
      comment: `${NASTY.newline} and ${NASTY.separator}`,
      ifNotExists: true,
    },
  );
  await op.createTable('plain', [{ name: 'a', type: 'integer' }], { primaryKey: ['a'], strict: true, withoutRowid: true });
  await op.renameTable('plain', NASTY.apostrophe);
  await op.addColumn(NASTY.order, { name: 'extra', type: 'varchar(3)', nullable: false, default: 'USD', primaryKey: false }, { schema: 'app' });
  await op.dropColumn(NASTY.apostrophe, 'gone', { existing: { type: 'varchar(20)', nullable: false, default: 'x', comment: 'c', unique: true, references: { table: 't', column: 'c' } } });
  await op.alterColumn(NASTY.order, NASTY.quotes, {
    schema: 'app',
    type: 'numeric(8,2)',
    nullable: false,
    default: null,
    comment: null,
    newName: 'amount',
    existing: { type: 'numeric(10,2)', nullable: true, default: -1.5, comment: 'old', autoincrement: false },
  });
  await op.renameColumn(NASTY.order, 'amount', NASTY.template, { schema: 'app' });
  await op.createIndex(null, NASTY.order, [NASTY.space, { sql: 'lower(x)' }], { schema: 'app', unique: true, where: 'x > 0', method: 'btree', ifNotExists: true });
  await op.dropIndex('ix_old', { table: NASTY.order, schema: 'app', existing: { name: 'ix_old', columns: ['a', { sql: 'b + 1' }], unique: false, where: 'a > 1', method: 'hash' } });
  await op.renameIndex(NASTY.order, 'ix_old_name', NASTY.apostrophe, { schema: 'app', existing: { columns: [NASTY.space, { sql: 'lower(x)' }], unique: true, where: 'x > 0', method: 'btree' } });
  await op.renameIndex(NASTY.order, NASTY.quotes, 'ix_new');
  await op.createUniqueConstraint(null, NASTY.order, ['id', NASTY.space]);
  await op.createCheckConstraint(null, NASTY.order, `"${NASTY.backtick}" <> 'x'`, { schema: 'app' });
  await op.createForeignKey(null, NASTY.order, 'parent', ['id'], ['pid'], { schema: 'app', referredSchema: 'other', onDelete: 'cascade', onUpdate: 'no action' });
  await op.createPrimaryKey(null, NASTY.apostrophe, ['a']);
  await op.dropConstraint('uq_x', NASTY.order, { type: 'unique', existing: { type: 'unique', columns: ['a', 'b'] } });
  await op.dropConstraint('ck_x', NASTY.order, { type: 'check', existing: { type: 'check', expression: "a <> ''" }, schema: 'app' });
  await op.dropConstraint('fk_x', NASTY.order, { type: 'foreignkey', existing: { type: 'foreignkey', columns: ['a'], referredTable: 'p', referredSchema: 's', referredColumns: ['b'], onDelete: 'cascade' } });
  await op.dropConstraint('pk_x', NASTY.order, { type: 'primary', existing: { type: 'primary', columns: ['id'] } });
  await op.batchAlterTable(
    NASTY.order,
    (batch) => {
      batch
        .addColumn({ name: 'code', type: 'varchar(3)', nullable: false, default: 'x' })
        .dropColumn('old', { existing: { type: 'integer', nullable: false } })
        .alterColumn('name', { type: 'varchar(10)', nullable: false, newName: 'title', existing: { type: 'varchar(100)', nullable: true } })
        .renameColumn(NASTY.unicode, 'flag')
        .createIndex(null, ['code', { sql: 'lower(code)' }], { unique: true, where: 'code IS NOT NULL', method: 'btree' })
        .dropIndex('ix_gone', { existing: { name: 'ix_gone', columns: ['x'], unique: true } })
        .renameIndex('ix_a', 'ix_b', { existing: { columns: ['flag'], unique: false } })
        .renameIndex('ix_c', 'ix_d')
        .createUniqueConstraint(null, ['code'])
        .createCheckConstraint(null, 'length(code) = 3')
        .createForeignKey(null, 'currency', ['code'], ['code'], { referredSchema: 'ref', onDelete: 'set null', onUpdate: 'cascade' })
        .createPrimaryKey(null, ['id', 'code'])
        .dropConstraint('uq_gone', { type: 'unique', existing: { type: 'unique', columns: ['x'] } });
    },
    {
      schema: 'app',
      recreate: 'always',
      copyFrom: { columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'old', type: 'integer', nullable: false }], checkConstraints: [{ expression: 'id > 0' }] },
      partialReordering: [['id', 'code']],
    },
  );
  await op.batchAlterTable('empty', () => {});
  await op.dropEnum('old_mood', { schema: 'app', existing: { values: ['a', 'b'] } });
  await op.addEnumValue('mood', 'meh', { schema: 'app', before: 'ok' });
  await op.addEnumValue('mood', 'great', { after: 'ok' });
  await op.alterTableComment(NASTY.order, 'new comment', { schema: 'app', existing: null });
  await op.alterTableComment(NASTY.order, null, { existing: NASTY.newline });
  await op.dropTable('old', {
    existing: {
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'mood', type: enumType('mood', ['sad']) },
      ],
      // As introspection reports SQLite tables: unnamed constraints, the objects around the table.
      primaryKey: { columns: ['id'] },
      foreignKeys: [{ columns: ['id'], referredTable: 'p', referredColumns: ['id'] }],
      uniqueConstraints: [{ columns: ['mood'] }],
      checkConstraints: [{ expression: 'id > 0' }],
      indexes: [{ name: 'ix_old', columns: ['mood'], unique: false }],
      comment: 'old table',
      dependents: [{ type: 'trigger', name: 'tr_old', tableName: 'old', sql: "CREATE TRIGGER tr_old AFTER INSERT ON old BEGIN SELECT 'x'; END" }],
    },
    ifExists: true,
  });
};

/** Ops with no automatic downgrade (and values only bulkInsert and execute carry). */
const irreversible: RevisionBodyFn = async (op) => {
  await op.execute(`UPDATE "${NASTY.order}" SET a = ? WHERE b = ? AND c = ?`, ["it's", 1n, new Date('2026-01-02T03:04:05.678Z')]);
  await op.bulkInsert(
    NASTY.order,
    [
      { id: 1, [NASTY.apostrophe]: 'x', 'two words': null, blob: Buffer.from([0, 1, 255]), json: { a: [1, 2.5, -3], b: { c: 'd' } } },
      { id: 2, big: -12345678901234567890n, nan: NaN, inf: -Infinity, zero: -0, e: 1e21, flag: true, missing: undefined },
    ],
    { schema: 'app' },
  );
  await op.dropColumn('t', 'c');
};

/** Ops that core's facade cannot build but introspection and comparison can (exact shapes). */
const LITERAL_OPS: readonly Op[] = [
  // `int unsigned` read as name 'int' with a modifier does not survive as a string: an object literal.
  {
    kind: 'AlterColumn',
    table: 't',
    column: 'c',
    changes: { type: { name: 'int', args: [], modifiers: ['unsigned'], array: false } },
    existing: { type: parseColumnType('integer') },
  },
  // An array of an enum: enumType cannot say it, an object literal can.
  { kind: 'AddColumn', table: 't', column: { name: 'moods', type: { name: 'enum', args: ['a'], modifiers: [], array: true, enumName: 'mood' }, nullable: true } },
  { kind: 'DropIndex', table: '', name: 'ix_anywhere' },
  { kind: 'Execute', sql: 'SELECT 1', parameters: [] },
];

// One loader: core is transpiled once; every revision file has its own path, so none is stale.
const LOADER = createModuleLoader({ alias: { '@multidb/core': CORE_INDEX }, fsCache: false });

let root: string;
let directory: ScriptDirectory;
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'multidb-render-'));
  await initRepository({ directory: join(root, 'migrations'), branches: ['default'], multidb: true });
  directory = await ScriptDirectory.open(join(root, 'migrations'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Renders ops into a revision written by core, imports it, and runs upgrade and downgrade. */
async function roundTrip(upgradeOps: readonly Op[], downgradeOps?: readonly (Op | IrreversibleOp)[]) {
  const body = renderRevisionBody({ upgradeOps, ...(downgradeOps ? { downgradeOps } : {}) });
  const revision = `r${String(++counter).padStart(11, '0')}`;
  const path = await directory.writeRevision({
    branch: 'default',
    revision,
    downRevisions: [],
    branchLabels: [],
    dependsOn: [],
    message: 'autogenerated',
    ...body,
  });
  const script = (await directory.scripts()).find((s) => s.revision === revision)!;
  const mod = await loadRevisionModule(LOADER, script);
  const up = collectingOperations(ODD_NAMING_CONVENTION);
  await mod.upgrade(up.op);
  const down = collectingOperations(ODD_NAMING_CONVENTION);
  let downgradeError: unknown;
  try {
    await mod.downgrade(down.op);
  } catch (error) {
    downgradeError = error;
  }
  return { path, source: await readFile(path, 'utf8'), upgraded: up.ops, downgraded: down.ops, downgradeError };
}

describe('render round trip: ops → revision file → op facade → the same ops', () => {
  it('the fixtures hold every op kind and every kind of batch op', async () => {
    const ops = [...(await collectOps(reversible)), ...(await collectOps(irreversible)), ...LITERAL_OPS];
    expect(new Set(ops.map((o) => o.kind))).toEqual(new Set(Object.keys(TOP_LEVEL_KINDS)));
    const inner = ops.flatMap((o) => (o.kind === 'BatchAlterTable' ? o.ops : []));
    expect(new Set(inner.map((o) => o.kind))).toEqual(new Set(Object.keys(BATCH_KINDS)));
  });

  it('reversible ops of every kind: upgrade rebuilds the ops, downgrade their reverse, in any naming convention', async () => {
    const ops = await collectOps(reversible);
    const { upgraded, downgraded, downgradeError, source } = await roundTrip(ops);
    expect(downgradeError).toBeUndefined();
    expect(upgraded).toStrictEqual(ops);
    // The added enum members stay: their reverse is a comment, nothing runs for them. SQLite's
    // dependents of a dropped table are not part of its shape: createTable does not take them.
    const expected = reverseOps(ops)
      .filter((o): o is Op => o.kind !== 'Irreversible')
      .map((o) => (o.kind === 'CreateTable' ? { ...o, table: (({ dependents: _d, ...t }) => t)(o.table) } : o));
    expect(downgraded).toStrictEqual(expected);
    expect(source).toContain("import { enumType } from '@multidb/core';");
    expect(source.match(/\/\/ Irreversible: PostgreSQL cannot remove the member/g)).toHaveLength(2);
  });

  it('irreversible ops: upgrade rebuilds them (values of every kind); downgrade throws before it runs anything', async () => {
    const ops = await collectOps(irreversible);
    const { upgraded, downgraded, downgradeError } = await roundTrip(ops);
    expect(upgraded).toStrictEqual(ops);
    expect(downgraded).toEqual([]);
    expect(downgradeError).toBeInstanceOf(Error);
    expect((downgradeError as Error).message).toBe(
      "Cannot downgrade automatically: dropColumn('t', 'c') has no existing column type; bulkInsert('order') inserts data; execute() runs arbitrary SQL. " +
        'Write this downgrade by hand, then remove this line.',
    );
  });

  it('ops only introspection builds (types that need an object literal, an index dropped without its table)', async () => {
    const { upgraded, downgraded, downgradeError } = await roundTrip(LITERAL_OPS);
    expect(upgraded).toStrictEqual(LITERAL_OPS);
    expect((downgradeError as Error).message).toMatch(/^Cannot downgrade automatically: execute\(\) runs arbitrary SQL; dropIndex\('ix_anywhere'\) has no existing index definition\./);
    expect(downgraded).toEqual([]);
  });

  it('given downgrade ops are rendered as given', async () => {
    const ops = await collectOps(async (op) => void (await op.renameTable('a', 'b')));
    const downgradeOps = [reverseOp(ops[0]!), reverseOp(ops[0]!)];
    const { downgraded } = await roundTrip(ops, downgradeOps);
    expect(downgraded).toStrictEqual(downgradeOps);
  });

  it('no ops: both bodies do nothing', async () => {
    const { upgraded, downgraded, downgradeError, source } = await roundTrip([]);
    expect([upgraded, downgraded, downgradeError]).toEqual([[], [], undefined]);
    expect(source).toContain(
      'export async function upgrade(op: Operations): Promise<void> {\n' +
        '  void op;\n' +
        '  // ### commands auto generated by multidb - please review and adjust! ###\n' +
        '  // ### end multidb commands ###\n}',
    );
  });
});

describe('a rendered revision file', () => {
  let files: { reversible: string; irreversible: string; literal: string };
  beforeAll(async () => {
    files = {
      reversible: (await roundTrip(await collectOps(reversible))).path,
      irreversible: (await roundTrip(await collectOps(irreversible))).path,
      literal: (await roundTrip(LITERAL_OPS)).path,
    };
  });

  it("type-checks against @multidb/core's types", () => {
    expect(typecheckFiles(Object.values(files))).toEqual([]);
  });

  it('fails the type check when a call has a wrong argument shape (the check can fail)', async () => {
    const source = await readFile(files.reversible, 'utf8');
    const broken = source.replace("await op.renameTable('plain', \"it's\");", "await op.renameTable('plain', { name: \"it's\" });");
    expect(broken).not.toBe(source);
    const path = join(root, 'broken.ts');
    await writeFile(path, broken);
    const diagnostics = typecheckFiles([path]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/not assignable to parameter of type 'string'/);
  });

  it('is printed as Prettier prints it with the project settings (single quotes, width 100)', async () => {
    for (const file of Object.values(files)) {
      const source = await readFile(file, 'utf8');
      expect(await prettier.format(source, { parser: 'typescript', singleQuote: true, printWidth: 100 })).toBe(source);
    }
  });
});
