import { readFile } from '../script/fs-async.js';
import type { DialectConnection } from '../dialect/dialect.js';
import { DatabaseNotFoundError } from '../errors.js';
import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { compileRevision, type CompiledStatement } from '../runtime/revision-compiler.js';
import { liveSnapshots } from '../runtime/runner.js';
import { loadRevisionModule } from '../script/module-loader.js';

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
  /** The SQL it would run, in order, each marked as coming from an op or from an `op.db` query. */
  readonly statements: readonly CompiledStatement[];
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
 * Like every reading command it creates nothing: a bind whose database does not exist yet (a
 * missing SQLite file or folder, a PostgreSQL bind's missing `schema`) is at base, with no
 * tables; the preview says so in `notes` and the first upgrade creates it.
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
 * const preview = await previewRevision(env, 'db2', 'fd2415b8acac', 'up');
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
    : { statements: [], notes: [] };
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
    statements: compiled.statements,
    notes: [...notes, ...compiled.notes.map((n) => n.replace(/^The revision stopped: /, 'The revision stopped during the preview: '))],
  };
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
