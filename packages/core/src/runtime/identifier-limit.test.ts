import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Dialect, IdentifierLimit } from '../dialect/dialect.js';
import { IdentifierTooLongError, OperationError } from '../errors.js';
import type { Op } from '../operations/op-objects.js';
import { Operations, type OpRunner } from '../operations/operations.js';
import { DEFAULT_NAMING_CONVENTION } from '../schema/naming-convention.js';
import { checkIdentifierLimit, identifiersOverLimit } from './identifier-limit.js';

const PG: IdentifierLimit = { max: 63, unit: 'bytes', longer: 'truncated' };
const MY: IdentifierLimit = { max: 64, unit: 'characters', longer: 'refused' };

const AT_PG = `${'é'.repeat(30)}abc`; // 63 bytes, 33 characters
const PAST_PG = `${'é'.repeat(30)}abcd`; // 64 bytes, 34 characters
const AT_MY = 'm'.repeat(64);
const PAST_MY = 'n'.repeat(65);

/** The ops a revision body builds through the `op` facade (names from the default convention). */
async function opsOf(body: (op: Operations) => Promise<void>): Promise<Op[]> {
  const ops: Op[] = [];
  const runner: OpRunner = { dialect: { name: 'testdb', inlineLiteral: (v) => String(v) }, run: async (o) => void ops.push(o) };
  await body(new Operations({ db: {} as Kysely<any>, bind: 'main', runner, namingConvention: DEFAULT_NAMING_CONVENTION }));
  return ops;
}

const names = (op: Op, limit: IdentifierLimit, namedEnums = true) => identifiersOverLimit(op, limit, namedEnums).map((i) => `${i.what}: ${i.length}`);

describe('identifiersOverLimit: every name an op sends, in bytes (PostgreSQL) or characters (MySQL)', () => {
  it('createTable: table, columns, keys, constraints, indexes, references (once each), and the enum type where it is named', async () => {
    const [op] = await opsOf((o) =>
      o.createTable(
        PAST_PG,
        [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: PAST_MY, type: 'integer', references: `${AT_MY}.id` },
          { name: 'status', type: { name: 'enum', args: ['a'], modifiers: [], array: false, enumName: PAST_MY } },
        ],
        {
          uniqueConstraints: [{ name: AT_MY, columns: ['id'] }],
          foreignKeys: [{ name: PAST_MY, columns: ['id'], referredTable: PAST_PG, referredColumns: [PAST_MY] }],
          checkConstraints: [{ name: AT_PG, expression: 'id > 0' }],
          indexes: [{ name: PAST_PG, columns: ['id'] }],
        },
      ),
    );
    const column = `column '${PAST_MY}' of table '${PAST_PG}': 65`;
    const enumType = `enum type '${PAST_MY}': 65`;
    const foreignKey = [`foreign key '${PAST_MY}' of table '${PAST_PG}': 65`, `referenced column '${PAST_MY}' of table '${PAST_PG}': 65`];
    // The table the key refers to is the op's own: named once.
    expect(names(op!, PG)).toEqual([
      `table '${PAST_PG}': 64`,
      column,
      `referenced table '${AT_MY}': 64`,
      enumType,
      `unique constraint '${AT_MY}' of table '${PAST_PG}': 64`,
      ...foreignKey,
      `index '${PAST_PG}' of table '${PAST_PG}': 64`,
    ]);
    // Characters: 64 fit, 34 (PAST_PG) too; the enum type's name is sent only where enum types are
    // schema objects (PostgreSQL's namedEnums).
    expect(names(op!, MY, false)).toEqual([column, ...foreignKey]);
    expect(names(op!, MY, true)).toEqual([column, enumType, ...foreignKey]);
  });

  it('names made by the naming convention are cut to fit both limits (only the names written by hand are refused)', async () => {
    const table = 't'.repeat(60);
    const column = 'c'.repeat(60);
    const ops = await opsOf(async (o) => {
      await o.createTable(table, [{ name: column, type: 'integer', primaryKey: true }, { name: 'é'.repeat(30), type: 'integer', unique: true }], {
        uniqueConstraints: [{ columns: [column, 'é'.repeat(30)] }],
        foreignKeys: [{ columns: [column], referredTable: table, referredColumns: [column] }],
        checkConstraints: [{ expression: '1 = 1' }],
        indexes: [{ columns: [column] }],
      });
      await o.createIndex(null, table, [column]);
      await o.createUniqueConstraint(null, table, [column]);
      await o.createForeignKey(null, table, table, [column], [column]);
      await o.createCheckConstraint(null, table, '1 = 1');
      await o.createPrimaryKey(null, table, [column]);
    });
    for (const op of ops) {
      expect(identifiersOverLimit(op, PG, true)).toEqual([]);
      expect(identifiersOverLimit(op, MY, false)).toEqual([]);
    }
  });

  it('the other ops: new names and the names they refer to; inside a batch block too', async () => {
    const ops = await opsOf(async (o) => {
      await o.renameTable('Invoice', PAST_MY);
      await o.dropTable(PAST_PG);
      await o.addColumn('Invoice', { name: PAST_PG, type: 'integer' });
      await o.renameColumn('Invoice', 'a', PAST_PG);
      await o.alterColumn('Invoice', 'a', { newName: PAST_MY });
      await o.createIndex(PAST_PG, 'Invoice', ['a']);
      await o.dropIndex(PAST_PG, { table: 'Invoice' });
      await o.renameIndex('Invoice', 'ix', PAST_PG);
      await o.createUniqueConstraint(PAST_PG, 'Invoice', ['a']);
      await o.createCheckConstraint(PAST_PG, 'Invoice', 'a > 0');
      await o.createForeignKey(PAST_PG, 'Invoice', 'Customer', ['a'], ['b']);
      await o.dropConstraint(PAST_PG, 'Invoice', { type: 'foreignkey' });
      await o.createEnum(PAST_PG, ['x']);
      await o.execute(`SELECT '${PAST_MY}'`);
      await o.batchAlterTable('Invoice', (b) => {
        b.addColumn({ name: 'ok', type: 'integer' });
        b.createIndex(PAST_MY, ['ok']);
      });
    });
    expect(ops.map((op) => names(op, PG))).toEqual([
      [`table '${PAST_MY}': 65`],
      [`table '${PAST_PG}': 64`],
      [`column '${PAST_PG}' of table 'Invoice': 64`],
      [`column '${PAST_PG}' of table 'Invoice': 64`],
      [`column '${PAST_MY}' of table 'Invoice': 65`],
      [`index '${PAST_PG}' of table 'Invoice': 64`],
      [`index '${PAST_PG}' of table 'Invoice': 64`],
      [`index '${PAST_PG}' of table 'Invoice': 64`],
      [`unique constraint '${PAST_PG}' of table 'Invoice': 64`],
      [`check constraint '${PAST_PG}' of table 'Invoice': 64`],
      [`foreign key '${PAST_PG}' of table 'Invoice': 64`],
      [`foreign key '${PAST_PG}' of table 'Invoice': 64`],
      [`enum type '${PAST_PG}': 64`],
      [],
      [`index '${PAST_MY}' of table 'Invoice': 65`],
    ]);
    // MySQL counts characters: PAST_PG (34) fits; enum types are not objects there.
    expect(ops.map((op) => names(op, MY, false)).filter((n) => n.length)).toEqual([
      [`table '${PAST_MY}': 65`],
      [`column '${PAST_MY}' of table 'Invoice': 65`],
      [`index '${PAST_MY}' of table 'Invoice': 65`],
    ]);
  });
});

describe('checkIdentifierLimit', () => {
  const dialect = (name: string, identifierLimit?: IdentifierLimit) => ({ name, capabilities: { namedEnums: name === 'postgres', ...(identifierLimit ? { identifierLimit } : {}) } }) as unknown as Dialect;
  const site = { bind: 'main', revision: 'c2', file: '/repo/migrations/versions/main/c2_long.ts' };

  it('PostgreSQL (truncates): returns a warning naming the op, each name, its length, the name kept, the limit, the bind and the file', async () => {
    const [op] = await opsOf((o) => o.createTable(PAST_PG, [{ name: 'id', type: 'integer' }]));
    const warning = checkIdentifierLimit(op!, dialect('postgres', PG), site);
    expect(warning).toEqual({
      code: 'IDENTIFIER_TRUNCATED',
      identifiers: [{ what: `table '${PAST_PG}'`, name: PAST_PG, length: 64, kept: AT_PG }],
      message:
        `op.createTable('${PAST_PG}') in revision c2 of bind 'main' (${site.file}) names table '${PAST_PG}' (64 bytes): the database will use '${AT_PG}'. ` +
        'postgres keeps at most 63 bytes of a name and truncates a longer one; the op runs as written (as an older history needs). ' +
        'A later revision reaches the object by either name; give it a shorter name in new revisions.',
    });
  });

  it('PostgreSQL: a name is cut at 63 bytes on a character boundary, as PostgreSQL cuts it', async () => {
    const name = `${'a'.repeat(62)}é${'z'.repeat(6)}`; // 'é' would end at byte 64
    const [op] = await opsOf((o) => o.dropIndex(name, { table: 'Invoice' }));
    expect(checkIdentifierLimit(op!, dialect('postgres', PG), site)?.identifiers).toEqual([{ what: `index '${name}' of table 'Invoice'`, name, length: 70, kept: 'a'.repeat(62) }]);
  });

  it('PostgreSQL: refuses two different names of one op that truncation would make one, naming both and the name they would share', async () => {
    const a = `${'t'.repeat(63)}_a`;
    const b = `${'t'.repeat(63)}_b`;
    const kept = 't'.repeat(63);
    const ops = await opsOf(async (o) => {
      await o.createTable('T', [{ name: 'x', type: 'integer' }], { indexes: [{ name: a, columns: ['x'] }, { name: b, columns: ['x'] }] });
      await o.createTable('T', [{ name: 'x', type: 'integer' }], { uniqueConstraints: [{ name: a, columns: ['x'] }], indexes: [{ name: kept, columns: ['x'] }] });
      await o.createTable('T', [{ name: a, type: 'integer' }, { name: b, type: 'integer' }]);
      await o.renameColumn('T', a, b);
      await o.batchAlterTable('T', (batch) => {
        batch.addColumn({ name: a, type: 'integer' });
        batch.addColumn({ name: b, type: 'integer' });
      });
    });
    const refused = (op: Op) => {
      try {
        checkIdentifierLimit(op, dialect('postgres', PG), site);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const errors = ops.map(refused);
    for (const e of errors) expect(e).toBeInstanceOf(IdentifierTooLongError);
    expect(errors.map((e) => (e as IdentifierTooLongError).collision)).toEqual([
      { first: `index '${a}' of table 'T'`, second: `index '${b}' of table 'T'`, kept },
      { first: `index '${kept}' of table 'T'`, second: `unique constraint '${a}' of table 'T'`, kept },
      { first: `column '${a}' of table 'T'`, second: `column '${b}' of table 'T'`, kept },
      { first: `column '${a}' of table 'T'`, second: `column '${b}' of table 'T'`, kept },
      { first: `column '${a}' of table 'T'`, second: `column '${b}' of table 'T'`, kept },
    ]);
    expect((errors[0] as Error).message).toBe(
      `op.createTable('T') names index '${a}' of table 'T' and index '${b}' of table 'T', which postgres would both cut to '${kept}' (it keeps at most 63 bytes of a name): ` +
        'two objects under one name, which the database would refuse or merge. Nothing of this op was sent or written. ' +
        `Shorten one of them in revision c2 of bind 'main' (${site.file}) so that they differ within the limit (a constraint or index may leave its name out: the naming convention cuts its names to fit).`,
    );
  });

  it('PostgreSQL: the same long name twice, or names in different namespaces, is no collision', async () => {
    const a = `${'t'.repeat(63)}_a`;
    const b = `${'t'.repeat(63)}_b`;
    const ops = await opsOf(async (o) => {
      // An index and a column of one table; a check constraint and an index (constraints and relations).
      await o.createTable('T', [{ name: a, type: 'integer' }], { indexes: [{ name: b, columns: [a] }], checkConstraints: [{ name: a, expression: 'true' }] });
      await o.createUniqueConstraint(a, 'T', [a, a]);
      await o.renameIndex('T', a, 'short');
    });
    for (const op of ops) expect(checkIdentifierLimit(op, dialect('postgres', PG), site)?.code).toBe('IDENTIFIER_TRUNCATED');
  });

  it('MySQL: characters, refused; several names listed', async () => {
    const [op] = await opsOf((o) => o.createTable(PAST_MY, [{ name: PAST_MY.toUpperCase(), type: 'integer' }]));
    expect(() => checkIdentifierLimit(op!, dialect('mysql', MY), site)).toThrow(
      `op.createTable('${PAST_MY}') names 2 identifiers longer than mysql keeps a name (at most 64 characters): table '${PAST_MY}' (65 characters), ` +
        `column '${PAST_MY.toUpperCase()}' of table '${PAST_MY}' (65 characters). The database refuses a longer name. Nothing of this op was sent or written. Shorten them in revision c2`,
    );
  });

  it('returns for names at the limit, and on a dialect without one (SQLite)', async () => {
    const [op] = await opsOf((o) => o.createTable(AT_PG, [{ name: AT_MY, type: 'integer' }]));
    expect(checkIdentifierLimit(op!, dialect('mysql', MY), site)).toBeUndefined();
    const [pg] = await opsOf((o) => o.createTable(AT_PG, [{ name: 'id', type: 'integer' }]));
    expect(checkIdentifierLimit(pg!, dialect('postgres', PG), site)).toBeUndefined();
    const [long] = await opsOf((o) => o.createTable('x'.repeat(128), [{ name: 'id', type: 'integer' }]));
    expect(checkIdentifierLimit(long!, dialect('sqlite'), site)).toBeUndefined();
  });
});
