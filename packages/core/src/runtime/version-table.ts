import type { Kysely } from 'kysely';
import type { DialectConnection } from '../dialect/dialect.js';

/**
 * A bind's version table (DESIGN §1): `version_num varchar(32) primary key`, one row per current
 * head (Alembic's shape), in the bind's own database. Queries go through Kysely, so core writes
 * no dialect SQL.
 */
export class VersionTable {
  readonly name: string;
  readonly schema: string | undefined;

  constructor(name: string, schema?: string) {
    this.name = name;
    this.schema = schema;
  }

  #db(db: Kysely<any>): Kysely<any> {
    return this.schema ? db.withSchema(this.schema) : db;
  }

  /**
   * Reads the current heads, sorted.
   * @returns `[]` when the table does not exist yet (a bind with no upgrade is at base).
   */
  async read(conn: DialectConnection): Promise<string[]> {
    if (!(await this.exists(conn))) return [];
    const rows = await this.#db(conn.db).selectFrom(this.name).select('version_num').execute();
    return rows.map((r) => String(r.version_num)).sort();
  }

  /**
   * Whether the table exists where the bind's queries find it (the dialect's introspection follows
   * PostgreSQL's `search_path` when no schema is given).
   */
  async exists(conn: DialectConnection): Promise<boolean> {
    return (await conn.introspectTable(this.name, this.schema)) !== undefined;
  }

  /** Creates the table when missing. */
  async ensure(conn: DialectConnection): Promise<void> {
    if (await this.exists(conn)) return;
    const db = conn.db;
    if (this.schema) await db.schema.createSchema(this.schema).ifNotExists().execute();
    await this.#db(db)
      .schema.createTable(this.name)
      .ifNotExists()
      .addColumn('version_num', 'varchar(32)', (c) => c.notNull().primaryKey())
      .execute();
  }

  /** Replaces the rows `before` by `after`, touching only the difference. */
  async update(db: Kysely<any>, before: readonly string[], after: readonly string[]): Promise<void> {
    const removed = before.filter((r) => !after.includes(r));
    const added = after.filter((r) => !before.includes(r));
    if (removed.length) await this.#db(db).deleteFrom(this.name).where('version_num', 'in', removed).execute();
    if (added.length) await this.#db(db).insertInto(this.name).values(added.map((v) => ({ version_num: v }))).execute();
  }

  /** Deletes every row (stamp --purge). */
  async purge(conn: DialectConnection): Promise<void> {
    if (await this.exists(conn)) await this.#db(conn.db).deleteFrom(this.name).execute();
  }
}
