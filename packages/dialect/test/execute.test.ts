// op.execute: one statement, its parameters converted for the dialect's driver. (Executed on a
// real database: batch.test.ts.)
import { describeCompiles, type SqlCase } from './support/sql-cases.js';

const when = new Date('2024-01-31T12:00:00.000Z');

const cases: SqlCase[] = [
  {
    // better-sqlite3: booleans as 1/0, dates as ISO text, objects as JSON. pg: as given.
    // mysql2: dates as UTC DATETIME text, objects and arrays as JSON.
    name: 'one statement with its parameters, converted for the driver',
    ops: {
      sqlite: (op) => op.execute('UPDATE "T" SET a = ?, b = ?, c = ? WHERE d = ?', [true, when, { k: [1] }, null]),
      postgres: (op) => op.execute('UPDATE "T" SET a = $1, b = $2 WHERE c = $3', [true, when, null]),
      mysql: (op) => op.execute('UPDATE `T` SET a = ?, b = ?, c = ?, d = ? WHERE e = ?', [when, { k: [1] }, [1, 2], true, null]),
    },
    expected: {
      sqlite: [{ sql: 'UPDATE "T" SET a = ?, b = ?, c = ? WHERE d = ?', parameters: [1, '2024-01-31T12:00:00.000Z', '{"k":[1]}', null] }],
      postgres: [{ sql: 'UPDATE "T" SET a = $1, b = $2 WHERE c = $3', parameters: [true, when, null] }],
      mysql: [{ sql: 'UPDATE `T` SET a = ?, b = ?, c = ?, d = ? WHERE e = ?', parameters: ['2024-01-31 12:00:00.000', '{"k":[1]}', '[1,2]', true, null] }],
    },
  },
];

describeCompiles('execute', cases);
