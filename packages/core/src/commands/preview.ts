import { readFile } from '../script/fs-async.js';
import type { DialectConnection } from '../dialect/dialect.js';
import { DatabaseNotFoundError } from '../errors.js';
import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { compileRevision, type CompiledRevision, type CompiledStatement } from '../runtime/revision-compiler.js';
import { liveSnapshots } from '../runtime/runner.js';
import type { InFlightRevision } from '../runtime/progress-table.js';
import { loadRevisionModule } from '../script/module-loader.js';

/** A statement of a {@link RevisionPreview}: compiled, and how far a run stopped part way got with it. */
export interface PreviewStatement extends CompiledStatement {
  /**
   * Set when the revision is in flight in this direction on the bind (its run stopped part way on
   * MySQL/MariaDB, see `MigrationEnvironment.inFlight`), from the bind's progress table, which
   * counts writes (ops), not statements: `'applied'` when the statement completed (every
   * statement of a write recorded as done; of an op of several that stopped part way, those
   * recorded as completed), so a resume skips it; `'sent'` when it was sent and its completion
   * was not recorded (a kill), so a resume judges it by introspection (or refuses). Omitted: it
   * runs on resume (it did not complete, or it is a read sent again), or nothing is in flight.
   */
  readonly progress?: 'applied' | 'sent';
}

/** A revision's message, file, source and the SQL it will run. */
export interface RevisionPreview {
  /** The bind the revision runs on. */
  readonly bind: string;
  /** The revision id. */
  readonly revision: string;
  /** `'up'` (its `upgrade`) or `'down'` (its `downgrade`). */
  readonly direction: 'up' | 'down';
  /** The revision's message. */
  readonly message: string;
  /** Absolute path of the revision file. */
  readonly file: string;
  /** Its down revisions. */
  readonly downRevisions: readonly string[];
  /** The revisions it depends on. */
  readonly dependsOn: readonly string[];
  /** The file's text. */
  readonly source: string;
  /**
   * The dialect (flavour) the SQL is for, e.g. `'sqlite'`, `'postgres'`, `'mariadb'`: once connected, the
   * server's (a `mysql://` URL to a MariaDB server is `'mariadb'`, compiled as a run compiles it).
   */
  readonly dialect: string;
  /**
   * The SQL it would run, in order, each marked as coming from an op or from an `op.db` query,
   * and, when the revision stopped part way in this direction, whether it was applied.
   */
  readonly statements: readonly PreviewStatement[];
  /** Why the preview is incomplete (an op that does not compile yet, an error thrown by the revision). */
  readonly notes: readonly string[];
}

/** Options of {@link previewRevision}. */
export interface PreviewOptions {
  /** The revision's `op.xArgs` (Alembic's `-x`), as a run with the same arguments would see them (default `{}`). */
  readonly xArgs?: Readonly<Record<string, string>>;
}

/** The keys of {@link PreviewOptions}. */
const PREVIEW_OPTIONS = keysOf<PreviewOptions>({ xArgs: true });

/**
 * Imports a revision and compiles what its `upgrade(op)` (or `downgrade(op)`) will run on a bind,
 * through the same compile path as a run, without changing the database: op objects through the
 * bind's dialect (tables an op needs are read from the live database when it can be reached),
 * `op.db` queries through the dialect's query compiler, nothing executed. Statements that depend
 * on earlier pending revisions compile against the current schema (when the compile read a
 * table's shape and revisions of the bind run before this one, `notes` names the tables and those
 * revisions), and `op.db` reads return no rows, so `notes` says when something could not be shown.
 *
 * Of a revision stopped part way in this direction (MySQL/MariaDB: the bind's progress table holds
 * it), each statement says whether it was applied (`progress`): the table counts writes, one per
 * op whatever number of statements it compiles to (see `CompiledStatement.write`), and how many
 * statements of an op of several completed, so the marks follow that record, not a count of
 * statements.
 *
 * Like every reading command it creates nothing: a bind whose database does not exist yet (a
 * missing SQLite file or folder, a PostgreSQL bind's missing `schema`) is at base, with no
 * tables; the preview says so in `notes` and the first upgrade creates it.
 *
 * Once connected, the SQL is for the flavour the server is (a `mysql://` URL to a MariaDB server:
 * `mariadb`); not connected, for the one the URL's scheme names, and `notes` says so.
 *
 * @param bind - the bind the revision runs on.
 * @param revision - the revision id.
 * @param direction - `'up'` (upgrade) or `'down'` (downgrade).
 * @param options - `xArgs`: the revision's `op.xArgs`.
 * @throws `RevisionNotFoundError` for an unknown id; `ScriptError` when the module does not import;
 *   `UnknownOptionError` when `options` holds a key {@link PreviewOptions} does not have, before
 *   anything is read.
 * @example
 * ```ts
 * const preview = await commands.previewRevision(env, 'db2', 'fd2415b8acac', 'up');
 * for (const s of preview.statements) console.log(s.sql);
 * ```
 */
export async function previewRevision(env: MigrationEnvironment, bind: string, revision: string, direction: 'up' | 'down', options: PreviewOptions = {}): Promise<RevisionPreview> {
  checkOptions('previewRevision()', options, PREVIEW_OPTIONS);
  // What it reads of the bind (the tables an op needs the shape of) is one read: an upgrade of
  // this environment started meanwhile waits for it (see `env.reading`).
  return env.reading([env.bind(bind).name], () => readPreview(env, bind, revision, direction, options));
}

/** {@link previewRevision}, inside its read. */
async function readPreview(env: MigrationEnvironment, bind: string, revision: string, direction: 'up' | 'down', options: PreviewOptions): Promise<RevisionPreview> {
  const message = (error: unknown) => env.mask(error instanceof Error ? error.message : String(error));
  const map = await env.revisionMap();
  const script = map.get(revision);
  const source = await readFile(script.path, 'utf8');
  const notes: string[] = [];
  const pure = await env.dialect(bind);
  let connection: DialectConnection | undefined;
  let absent = false;
  try {
    connection = await env.connection(bind, { create: false });
  } catch (error) {
    if (error instanceof DatabaseNotFoundError) {
      absent = true;
      notes.push(`The bind's ${error.detail} yet: it is at base, with no tables (the first upgrade creates it).`);
    } else notes.push(`Not connected (${message(error)}): ops that need a table's shape are not shown.`);
  }
  // Not connected, a dialect serving several flavours compiles for the one the URL's scheme names
  // (a mysql:// URL is MySQL, also when the server is MariaDB): say so, the SQL may differ.
  if (!connection && pure.flavour !== undefined) notes.push(`The SQL is for ${pure.flavour}, as the URL's scheme says: the server's own flavour is known once connected, and its SQL may differ.`);
  // The connection's dialect when connected, as a run compiles with: a `mysql://` URL to a MariaDB
  // server is MariaDB's flavour once connected (its SQL differs, and the binds screen says `mariadb`).
  const dialect = connection?.dialect ?? pure;
  const schema = env.bind(bind).config.schema;
  const why = absent ? "the bind's database does not exist yet" : 'the bind is not connected';
  const notConnected = { snapshot: async (table: string): Promise<never> => Promise.reject(new Error(`needs the current shape of '${table}', and ${why}`)) };
  const mod = await loadRevisionModule(env.loader, script).catch((error: unknown) => {
    notes.push(`The revision stopped during the preview: ${message(error)}`);
    return undefined;
  });
  // The tables whose shape the compile read from the database, for the note on revisions that run first.
  const read: string[] = [];
  const live = connection ? liveSnapshots(connection) : undefined;
  const snapshots = live
    ? {
        snapshot: (table: string, tableSchema: string | undefined) => {
          const name = tableSchema !== undefined ? `${tableSchema}.${table}` : table;
          if (!read.includes(name)) read.push(name);
          return live.snapshot(table, tableSchema);
        },
      }
    : notConnected;
  const compiled = mod
    ? await compileRevision(mod, direction, {
        bind,
        dialect,
        namingConvention: env.namingConvention,
        snapshots,
        ...(options.xArgs ? { xArgs: options.xArgs } : {}),
        ...(schema !== undefined ? { defaultSchema: schema } : {}),
      })
    : { statements: [], notes: [], firstWriteJudged: false };
  if (connection && read.length > 0) {
    const first = await runFirst(env, connection, bind, revision, direction).catch(() => []);
    if (first.length > 0) {
      const tables = read.map((t) => `'${t}'`).join(', ');
      const one = first.length === 1;
      notes.push(
        `The shape of ${tables} was read from the database as it is now, but the ${verbOf(direction)} of ${first.length} ${one ? 'revision' : 'revisions'} of this bind ${one ? 'runs' : 'run'} before this one (${first.join(', ')}): where ${one ? 'it changes' : 'they change'} ${read.length === 1 ? 'that table' : 'those tables'}, the statements run will differ from these.`,
      );
    }
  }
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
    statements: connection ? await withProgress(env, connection, bind, revision, direction, compiled) : compiled.statements,
    notes: [...notes, ...compiled.notes.map((n) => n.replace(/^The revision stopped: /, 'The revision stopped during the preview: '))],
  };
}

/**
 * The statements marked with their progress ({@link PreviewStatement.progress}) when the bind's
 * revision in flight is this one in this direction; as they are otherwise. A progress table that
 * cannot be read leaves them unmarked.
 */
async function withProgress(
  env: MigrationEnvironment,
  connection: DialectConnection,
  bind: string,
  revision: string,
  direction: 'up' | 'down',
  { statements, firstWriteJudged }: CompiledRevision,
): Promise<readonly PreviewStatement[]> {
  if (connection.dialect.capabilities.transactionalDdl) return statements;
  const flight = await env
    .progressTable(bind)
    .read(connection)
    .catch(() => undefined);
  if (!flight || flight.revision !== revision || flight.direction !== direction) return statements;
  const seen = new Map<number, number>(); // write → statements of it so far
  return statements.map((s) => {
    if (s.write === undefined) return s;
    const index = seen.get(s.write) ?? 0;
    seen.set(s.write, index + 1);
    const progress = statementProgress(flight, s.write, index, firstWriteJudged);
    return progress ? { ...s, progress } : s;
  });
}

/**
 * How far the run in flight got with statement `index` (0-based) of write `step`: `'applied'`
 * when the write is recorded as done or as having completed more statements than `index`;
 * `'sent'` when it is the statement sent with its completion not recorded (of a write recorded
 * without statement counts: any of its statements; under a header an earlier multidb recorded ahead with no write,
 * the first write's when a resume judges it, `firstWriteJudged`); `undefined` otherwise.
 */
function statementProgress(flight: InFlightRevision, step: number, index: number, firstWriteJudged: boolean): PreviewStatement['progress'] {
  const write = flight.writes.find((w) => w.step === step);
  if (!write) return flight.preRecorded && flight.writes.length === 0 && step === 1 && firstWriteJudged ? 'sent' : undefined;
  if (write.state === 'done') return 'applied';
  const done = write.statementsDone ?? 0;
  if (index < done) return 'applied';
  if (write.state === 'pending' && (index === done || write.statementsDone === undefined)) return 'sent';
  return undefined;
}

/** `'upgrade'` or `'downgrade'`. */
function verbOf(direction: 'up' | 'down'): string {
  return direction === 'up' ? 'upgrade' : 'downgrade';
}

/**
 * The revisions of `bind` that an upgrade to `revision` (direction `'up'`) runs before it: its
 * ancestors not yet applied; or that a downgrade below it (`'down'`) runs before it: the applied
 * revisions above it. `[]` when `revision` is next (or is not on that side of the bind's heads).
 */
async function runFirst(env: MigrationEnvironment, connection: DialectConnection, bind: string, revision: string, direction: 'up' | 'down'): Promise<string[]> {
  const map = await env.revisionMap();
  const { heads } = await env.versionTable(bind).state(connection);
  const applied = new Set(heads.length > 0 ? map.ancestors(heads, { inclusive: true }) : []);
  if (direction === 'up') return applied.has(revision) ? [] : map.ancestors(revision).filter((id) => !applied.has(id));
  return applied.has(revision) ? map.descendants(revision).filter((id) => applied.has(id)).reverse() : [];
}
