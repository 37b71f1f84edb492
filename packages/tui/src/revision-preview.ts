import { readFile } from 'node:fs/promises';
import {
  loadRevisionModule,
  Operations,
  type CompileContext,
  type Dialect,
  type DialectConnection,
  type MigrationEnvironment,
  type Op,
  type OpRunner,
  type TableSnapshot,
} from '@multidb/core';
import { Kysely, type CompiledQuery, type DatabaseConnection, type DatabaseIntrospector, type Driver, type QueryResult } from 'kysely';
import type { PreviewStatement, RevisionPreview } from './tui-backend.js';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A Kysely that compiles queries with a live connection's own adapter and query compiler but
 * never sends them: each query is handed to `capture` and "returns" no rows. A revision's `op.db`
 * statements can so be shown exactly as they will run, with no chance of a write.
 *
 * @param db - Kysely on the bind's connection (only its compiler and adapter are used).
 * @param capture - receives each compiled query.
 * @example
 * ```ts
 * const seen: CompiledQuery[] = [];
 * const dry = capturingKysely(conn.db, (q) => seen.push(q));
 * await dry.updateTable('Invoice').set({ Currency: 'USD' }).execute(); // seen[0].sql: update "Invoice" set "Currency" = ?
 * ```
 */
export function capturingKysely(db: Kysely<any>, capture: (query: CompiledQuery) => void): Kysely<any> {
  const executor = db.getExecutor();
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      capture(query);
      return { rows: [] };
    },
    async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      capture(query);
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const unavailable = async (): Promise<never> => {
    throw new Error('introspection is not available in the SQL preview');
  };
  const introspector: DatabaseIntrospector = { getSchemas: unavailable, getTables: unavailable, getMetadata: unavailable };
  return new Kysely<any>({
    dialect: {
      createAdapter: () => executor.adapter,
      createDriver: () => driver,
      createQueryCompiler: () => ({ compileQuery: (node, queryId) => executor.compileQuery(node, queryId) }),
      createIntrospector: () => introspector,
    },
  });
}

/**
 * An {@link OpRunner} that compiles each op through the bind's dialect (the same
 * `dialect.compile(op, ctx)` path as a run, DESIGN §3) and keeps the statements instead of
 * executing them. Tables the dialect needs to see are introspected (reads only). An op that does
 * not compile is noted and skipped, so the rest of the revision still shows.
 */
export class CollectingOpRunner implements OpRunner {
  readonly dialect: Dialect;
  readonly statements: PreviewStatement[] = [];
  readonly notes: string[] = [];
  readonly #connection: DialectConnection | undefined;
  readonly #context: Omit<CompileContext, 'snapshots'>;

  /**
   * @param dialect - the bind's pure dialect (`env.dialect(bind)`).
   * @param context - naming convention and default schema.
   * @param connection - for introspecting the tables an op needs (reads only); without it, ops
   *   that need a table's shape are noted as not previewable.
   */
  constructor(dialect: Dialect, context: Omit<CompileContext, 'snapshots'>, connection?: DialectConnection) {
    this.dialect = dialect;
    this.#context = context;
    this.#connection = connection;
  }

  async run(op: Op): Promise<void> {
    try {
      const snapshots = new Map<string, TableSnapshot>();
      for (const table of this.dialect.requiredSnapshots(op)) {
        if (!this.#connection) throw new Error(`needs the current shape of '${table}', and the bind is not connected`);
        const snapshot = await this.#connection.introspectTable(table, this.#context.defaultSchema);
        if (snapshot) snapshots.set(table, snapshot);
      }
      for (const s of this.dialect.compile(op, { ...this.#context, snapshots })) {
        this.statements.push({ sql: s.sql, parameters: s.parameters, source: 'op' });
      }
    } catch (error) {
      const where = 'table' in op ? ` on '${op.table}'` : '';
      this.notes.push(`${op.kind}${where} does not compile against the current schema: ${message(error)}`);
    }
  }
}

/** A Kysely whose every use throws: `op.db` when the bind cannot be reached. */
function unavailableKysely(reason: string): Kysely<any> {
  return new Proxy({} as Kysely<any>, {
    get() {
      throw new Error(`op.db is not available in the preview (${reason})`);
    },
  });
}

/**
 * Imports a revision and runs its `upgrade(op)` (or `downgrade(op)`) against a collecting runner:
 * op objects are compiled through the bind's dialect, `op.db` queries through the connection's
 * query compiler, and nothing is executed. Statements that depend on earlier pending revisions
 * (a table they create) compile against the current schema, and `op.db` reads return no rows, so
 * the preview says so in `notes` when something could not be shown.
 *
 * @param env - the project's environment.
 * @param bind - the bind the revision runs on.
 * @param revision - the revision id.
 * @param direction - `'up'` (upgrade) or `'down'` (downgrade).
 * @throws `RevisionNotFoundError` for an unknown id; `ScriptError` when the module does not import.
 * @example
 * ```ts
 * const preview = await previewRevision(env, 'db2', 'fd2415b8acac', 'up');
 * for (const s of preview.statements) console.log(s.sql);
 * ```
 */
export async function previewRevision(env: MigrationEnvironment, bind: string, revision: string, direction: 'up' | 'down'): Promise<RevisionPreview> {
  const map = await env.revisionMap();
  const script = map.get(revision);
  const source = await readFile(script.path, 'utf8');
  const notes: string[] = [];
  const dialect = await env.dialect(bind);
  let connection: DialectConnection | undefined;
  try {
    connection = await env.connection(bind);
  } catch (error) {
    notes.push(`Not connected (${message(error)}): ops that need a table's shape and op.db queries are not shown.`);
  }
  const schema = env.bind(bind).config.schema;
  const runner = new CollectingOpRunner(dialect, { namingConvention: env.namingConvention, ...(schema !== undefined ? { defaultSchema: schema } : {}) }, connection);
  let queries = 0;
  const db = connection
    ? capturingKysely(connection.db, (q) => {
        queries++;
        runner.statements.push({ sql: q.sql, parameters: q.parameters, source: 'query-builder' });
      })
    : unavailableKysely('the bind is not connected');
  const op = new Operations({ db, bind, runner, namingConvention: env.namingConvention });
  try {
    const mod = await loadRevisionModule(env.loader, script);
    await (direction === 'up' ? mod.upgrade(op) : mod.downgrade(op));
  } catch (error) {
    notes.push(`The revision stopped during the preview: ${message(error)}`);
  }
  notes.push(...runner.notes);
  if (queries > 0) notes.push('op.db queries are compiled, not run: in the preview they return no rows.');
  return {
    bind,
    revision,
    direction,
    message: script.message,
    file: script.path,
    downRevisions: script.downRevisions,
    dependsOn: script.dependsOn,
    source,
    dialect: dialect.flavour ?? dialect.name,
    statements: runner.statements,
    notes,
  };
}
