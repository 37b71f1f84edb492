// The schema of the autogenerate benchmarks (the autogenerate issue's "Speed"): table i has 10
// columns, an index on `code`, and a foreign key to table i-1 (table 0 to itself).

/** The name of table `i`: `t00000`, `t00001`, … */
export const wideTableName = (i) => `t${String(i).padStart(5, '0')}`;

/** The 10 columns of every table (`extra` is the one left out "per 10 tables"). */
export const WIDE_COLUMNS = Object.freeze([
  { name: 'id', type: 'integer', primaryKey: true },
  { name: 'parent_id', type: 'integer', nullable: false },
  { name: 'code', type: 'varchar(32)', nullable: false },
  { name: 'title', type: 'varchar(200)' },
  { name: 'amount', type: 'numeric(10,2)', default: 0 },
  { name: 'created_at', type: 'timestamp', default: { sql: 'CURRENT_TIMESTAMP' } },
  { name: 'flag', type: 'boolean', default: false },
  { name: 'note', type: 'text' },
  { name: 'qty', type: 'integer', default: 1 },
  { name: 'extra', type: 'varchar(20)' },
]);

/** Table i's options: its index and its foreign key. */
export const wideTableOptions = (i) => ({
  indexes: [{ columns: ['code'] }],
  foreignKeys: [{ columns: ['parent_id'], referredTable: wideTableName(i === 0 ? 0 : i - 1), referredColumns: ['id'] }],
});
