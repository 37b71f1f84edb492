/**
 * Typed errors of `@multidb/core`. Every error carries the data a caller needs (bind, revision,
 * file, statement) as fields, and a message a user can act on. The CLI maps them to one line and
 * an exit code; custom tooling can branch on `instanceof` or on `code`.
 *
 * @example
 * ```ts
 * try { map.resolve('db2@head'); }
 * catch (e) { if (e instanceof MultipleHeadsError) console.log(e.heads); }
 * ```
 */
export class MultidbError extends Error {
  /** A stable, machine-readable code (e.g. `'MULTIPLE_HEADS'`). */
  readonly code: string;
  constructor(message: string, code = 'MULTIDB_ERROR', options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration file that is missing, does not load, or holds invalid values. */
export class ConfigError extends MultidbError {
  /** The configuration file concerned, when known. */
  readonly file: string | undefined;
  constructor(message: string, file?: string, options?: { cause?: unknown }) {
    super(message, 'CONFIG', options);
    this.file = file;
  }
}

/** A database URL that cannot be parsed or names no known dialect. The message masks the password. */
export class UrlError extends MultidbError {
  constructor(message: string) {
    super(message, 'URL');
  }
}

/** A revision script whose header breaks the grammar, does not compile, or lacks an export. */
export class ScriptError extends MultidbError {
  /** Absolute path of the script. */
  readonly file: string;
  /** 1-based line of the problem, when known. */
  readonly line: number | undefined;
  constructor(message: string, file: string, line?: number, options?: { cause?: unknown }) {
    super(message, 'SCRIPT', options);
    this.file = file;
    this.line = line;
  }
}

/** Base class of every error about the revision graph or a revision target. */
export class RevisionError extends MultidbError {
  constructor(message: string, code = 'REVISION', options?: { cause?: unknown }) {
    super(message, code, options);
  }
}

/** A target like `head` met a branch with more than one head. */
export class MultipleHeadsError extends RevisionError {
  /** The heads found (revision ids). */
  readonly heads: readonly string[];
  /** The target the user gave. */
  readonly argument: string;
  /** The branch (or bind) concerned, when known. */
  readonly branch: string | undefined;
  /**
   * @param hint - replaces the default advice (name one, `<branch>@heads`, `merge`) when it
   *   does not fit, e.g. for a downgrade from two current heads.
   */
  constructor(heads: readonly string[], argument: string, branch?: string, hint?: string) {
    const where = branch ? ` on branch '${branch}'` : '';
    super(
      `Multiple heads${where} for target '${argument}': ${heads.join(', ')}. ` +
        (hint ??
          `Name one (e.g. '${heads[0]}'), use '${branch ?? '<bind>'}@heads' (or 'heads', for every bind) to reach every head, ` +
            `or create a merge revision with 'migrate merge -m MSG ${heads.join(' ')}'.`),
      'MULTIPLE_HEADS',
    );
    this.heads = heads;
    this.argument = argument;
    this.branch = branch;
  }
}

/** The revision graph has a cycle through down revisions or depends-on. */
export class CycleError extends RevisionError {
  /** Revision ids on the cycle, in order. */
  readonly revisions: readonly string[];
  /** Files of those revisions, when known. */
  readonly files: readonly string[];
  constructor(revisions: readonly string[], files: readonly string[] = []) {
    super(
      `Cycle in the revision graph: ${[...revisions, revisions[0]].join(' -> ')}` +
        (files.length ? ` (files: ${files.join(', ')})` : ''),
      'CYCLE',
    );
    this.revisions = revisions;
    this.files = files;
  }
}

/** A partial revision id matches more than one revision. */
export class AmbiguousRevisionError extends RevisionError {
  readonly argument: string;
  /** Every revision id that starts with the argument. */
  readonly candidates: readonly string[];
  constructor(argument: string, candidates: readonly string[]) {
    super(
      `'${argument}' is ambiguous; it matches: ${candidates.join(', ')}. Give more characters.`,
      'AMBIGUOUS_REVISION',
    );
    this.argument = argument;
    this.candidates = candidates;
  }
}

/** A revision id, prefix or branch label that matches nothing. */
export class RevisionNotFoundError extends RevisionError {
  readonly argument: string;
  constructor(argument: string, detail?: string) {
    super(detail ?? `No revision, bind or branch label matches '${argument}'.`, 'REVISION_NOT_FOUND');
    this.argument = argument;
  }
}

/** A bind name that is not in the configuration. */
export class UnknownBindError extends RevisionError {
  readonly bind: string;
  /** The binds the configuration has. */
  readonly known: readonly string[];
  constructor(bind: string, known: readonly string[]) {
    super(`Unknown bind '${bind}'. Configured binds: ${known.join(', ') || '(none)'}.`, 'UNKNOWN_BIND');
    this.bind = bind;
    this.known = known;
  }
}

/** Two scripts declare the same revision id. */
export class DuplicateRevisionError extends RevisionError {
  readonly revision: string;
  readonly files: readonly string[];
  constructor(revision: string, files: readonly string[]) {
    super(`Revision '${revision}' is declared twice: ${files.join(' and ')}.`, 'DUPLICATE_REVISION');
    this.revision = revision;
    this.files = files;
  }
}

/** A down revision or depends-on that names a revision which does not exist. */
export class MissingRevisionError extends RevisionError {
  readonly revision: string;
  readonly missing: string;
  readonly file: string | undefined;
  constructor(revision: string, missing: string, file?: string, relation = 'down revision') {
    super(
      `Revision '${revision}'${file ? ` (${file})` : ''} names ${relation} '${missing}', which does not exist.`,
      'MISSING_REVISION',
    );
    this.revision = revision;
    this.missing = missing;
    this.file = file;
  }
}

/**
 * A revision breaks the branch rules of DESIGN §1: its folder and branch label disagree, its down
 * revision lies in another branch, or a merge crosses branches.
 */
export class BranchError extends RevisionError {
  readonly revision: string;
  readonly file: string | undefined;
  constructor(message: string, revision: string, file?: string) {
    super(message, 'BRANCH');
    this.revision = revision;
    this.file = file;
  }
}

/** A downgrade would remove a revision that an applied revision of another bind depends on. */
export class DependencyError extends RevisionError {
  /** The revision the downgrade would remove. */
  readonly revision: string;
  /** The applied revision that depends on it. */
  readonly dependent: string;
  readonly dependentBind: string | undefined;
  /** The bind the downgrade would remove `revision` from, when known. */
  readonly bind: string | undefined;
  constructor(revision: string, dependent: string, dependentBind?: string, bind?: string) {
    super(
      `Cannot downgrade '${revision}'${bind ? ` on bind '${bind}'` : ''}: applied revision '${dependent}'` +
        (dependentBind ? ` of bind '${dependentBind}'` : '') +
        ` depends on it. Downgrade ${dependentBind ? `bind '${dependentBind}' below '${dependent}'` : 'that'} first.`,
      'DEPENDENCY',
    );
    this.revision = revision;
    this.dependent = dependent;
    this.dependentBind = dependentBind;
    this.bind = bind;
  }
}

/**
 * A bind's version table holds rows the revision map cannot use: a revision no script declares, a
 * revision of another branch, or a row that is an ancestor of another row.
 * `migrate stamp --purge <bind>@<rev>` rewrites the rows.
 */
export class VersionTableError extends RevisionError {
  readonly bind: string;
  /** The offending rows. */
  readonly revisions: readonly string[];
  constructor(bind: string, revisions: readonly string[], message: string) {
    super(message, 'VERSION_TABLE');
    this.bind = bind;
    this.revisions = revisions;
  }
}

/**
 * A version-table update found other rows than the ones it was to replace: another runner
 * changed the table first. The step's transaction is rolled back, so history never forks.
 */
export class VersionTableConflictError extends VersionTableError {
  /** The rows the update expected to replace. */
  readonly expected: readonly string[];
  constructor(bind: string, expected: readonly string[], wanted: readonly string[]) {
    super(
      bind,
      [...expected],
      `[${bind}] the version table no longer holds ${expected.length ? expected.join(', ') : 'the rows read'} ` +
        `(another runner changed it first); nothing was recorded for ${wanted.join(', ') || 'this step'}. Run the command again.`,
    );
    this.expected = expected;
  }
}

/** A command that needs one bind, given several with no bind named. */
export class BindRequiredError extends RevisionError {
  readonly binds: readonly string[];
  /**
   * @param example - how to name a bind for this command (default: the downgrade forms
   *   `'<bind>' or '<bind>@-1'`), e.g. `` `--bind ${binds[0]}` `` for `revision`.
   */
  constructor(what: string, binds: readonly string[], example?: string) {
    super(
      `${what} needs a bind: name one of ${binds.join(', ')} (e.g. ${example ?? `'${binds[0]}' or '${binds[0]}@-1'`}).`,
      'BIND_REQUIRED',
    );
    this.binds = binds;
  }
}

/**
 * A downgrade or stamp target names a revision or branch label of a branch that several binds
 * share (tenants, shards), so it would act on every one of them. Name one bind (`t7@<rev>`), or
 * pass `allBinds` (`--all-binds`) to act on all. Upgrades are not refused: they fan out.
 *
 * @example
 * ```ts
 * try { await env.downgrade('3f2a'); }
 * catch (e) { if (e instanceof SharedBranchError) console.log(e.branch, e.binds); }
 * ```
 */
export class SharedBranchError extends RevisionError {
  /** `'downgrade'` or `'stamp'`. */
  readonly command: string;
  /** The target as written. */
  readonly target: string;
  /** The shared branch. */
  readonly branch: string;
  /** Every bind on that branch, in config order. */
  readonly binds: readonly string[];
  /**
   * @param example - the target naming one bind instead (e.g. `'t1@3f2a9c1d7b40'`).
   */
  constructor(command: string, target: string, branch: string, binds: readonly string[], example: string) {
    super(
      `'${command} ${target}' would ${command} every bind of branch '${branch}' (${binds.join(', ')}), which share it. ` +
        `Name one bind (e.g. '${example}'), or add --all-binds to ${command} all ${binds.length}.`,
      'SHARED_BRANCH',
    );
    this.command = command;
    this.target = target;
    this.branch = branch;
    this.binds = binds;
  }
}

/**
 * A statement of a revision failed while it ran. The bind stays at its previous revision where
 * the dialect rolls DDL back; `partial` says when part of the revision may remain (no
 * transactional DDL).
 */
export class MigrationError extends MultidbError {
  readonly bind: string;
  readonly revision: string;
  readonly file: string | undefined;
  /** The SQL that failed, when the failure came from a statement. */
  readonly statement: string | undefined;
  /** True when part of the revision may have been applied (dialect without transactional DDL). */
  readonly partial: boolean;
  /** The bind's version-table rows after the failure (`[]`: base), when known. */
  readonly at: readonly string[] | undefined;
  constructor(
    fields: { bind: string; revision: string; file?: string; statement?: string; partial?: boolean; at?: readonly string[] },
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const where = fields.at ? (fields.at.length ? fields.at.join(', ') : '<base>') : undefined;
    super(
      `[${fields.bind}] revision ${fields.revision} failed: ${reason}` +
        (fields.statement ? `\n  statement: ${fields.statement}` : '') +
        (fields.file ? `\n  file: ${fields.file}` : '') +
        (fields.partial
          ? `\n  part of this revision may have been applied; the version table is at the last completed revision${where ? ` (${where})` : ''}.`
          : `\n  rolled back; '${fields.bind}' stays at ${where ?? 'its previous revision'}.`),
      'MIGRATION',
      { cause },
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.file = fields.file;
    this.statement = fields.statement;
    this.partial = fields.partial ?? false;
    this.at = fields.at;
  }
}

/** A step that was not run because a bind it waits on failed (see {@link RunError}). */
export interface SkippedStep {
  readonly bind: string;
  readonly revision: string;
}

/**
 * A run with `concurrency` > 1 in which one or more binds failed. Each failing bind stopped at its
 * previous revision (see each {@link MigrationError}); the steps that waited on a failed bind (its
 * dependents, transitively) were not run; every other bind went on to its target. The message has
 * one line per failure, then the steps not run.
 *
 * @example
 * ```ts
 * try { await env.upgrade([], { concurrency: 4 }); }
 * catch (e) { if (e instanceof RunError) for (const f of e.failures) console.log(f.bind, f.revision); }
 * ```
 */
export class RunError extends MultidbError {
  /** The failed steps, one per failed bind, in plan order. */
  readonly failures: readonly MigrationError[];
  /** The steps not run because they (transitively) wait on a failed bind, in plan order. */
  readonly skipped: readonly SkippedStep[];
  constructor(failures: readonly MigrationError[], skipped: readonly SkippedStep[] = []) {
    const oneLine = (text: string) => text.replace(/\s*\n\s*/g, '; ');
    super(
      `${failures.length} bind${failures.length === 1 ? '' : 's'} failed:\n` +
        failures.map((f) => `  ${oneLine(f.message)}`).join('\n') +
        (skipped.length ? `\n  not run (waiting on a failed bind): ${skipped.map((s) => `[${s.bind}] ${s.revision}`).join(', ')}` : ''),
      'RUN',
      failures.length ? { cause: failures[0] } : undefined,
    );
    this.failures = Object.freeze([...failures]);
    this.skipped = Object.freeze(skipped.map((s) => Object.freeze({ bind: s.bind, revision: s.revision })));
  }
}

/** An op the dialect cannot perform natively (e.g. SQLite ALTER COLUMN before batch mode). */
export class UnsupportedOperationError extends MultidbError {
  readonly dialect: string;
  readonly operation: string;
  constructor(dialect: string, operation: string, hint?: string) {
    super(
      `${dialect} cannot ${operation} natively.` + (hint ? ` ${hint}` : ''),
      'UNSUPPORTED_OPERATION',
    );
    this.dialect = dialect;
    this.operation = operation;
  }
}

/** The migration lock of a bind was not acquired within the allowed time. */
export class LockTimeoutError extends MultidbError {
  readonly bind: string;
  /** How long we waited, in milliseconds. */
  readonly waitedMs: number;
  constructor(bind: string, waitedMs: number) {
    super(`Timed out after ${Math.round(waitedMs / 1000)} s waiting for the migration lock on ${bind}.`, 'LOCK_TIMEOUT');
    this.bind = bind;
    this.waitedMs = waitedMs;
  }
}

/** A value given to an op (column type, name, argument) that is invalid. */
export class OperationError extends MultidbError {
  constructor(message: string, code = 'OPERATION') {
    super(message, code);
  }
}

/**
 * Compiling an op needs the current shape of a table, and nothing gives it: online the table does
 * not exist; offline (`--sql`) no database is read and the script did not create the table. The
 * message names the op and `field`, what to pass instead (e.g. `copyFrom` of `batchAlterTable`,
 * `existing.type` of `alterColumn`).
 *
 * @example
 * ```ts
 * throw new SchemaUnknownError('Invoice', 'copyFrom', "SQLite needs the current shape of table \"Invoice\"…: pass it as copyFrom.");
 * ```
 */
export class SchemaUnknownError extends OperationError {
  /** The table whose shape is needed. */
  readonly table: string;
  /** What the op must be given instead (`copyFrom`, `existing.type`, `existing.nullable`). */
  readonly field: string;
  constructor(table: string, field: string, message: string) {
    super(message, 'SCHEMA_UNKNOWN');
    this.table = table;
    this.field = field;
  }
}

/**
 * A revision cannot be written as an offline script (`migrate upgrade --sql`): an op needs the
 * live schema the script cannot read (`field` says what to add to the op), an `op.db` query reads
 * rows (offline there is nothing to read), or the revision failed while it was compiled. Names the
 * bind, the revision, its file and the op.
 *
 * @example
 * ```ts
 * try { await commands.upgradeSql(env, ['db2@fd24:head']); }
 * catch (e) { if (e instanceof OfflineError) console.log(e.bind, e.revision, e.op, e.field); }
 * ```
 */
export class OfflineError extends MultidbError {
  readonly bind: string;
  readonly revision: string;
  readonly file: string | undefined;
  /** The op concerned, as written in a revision (`op.alterColumn('Invoice', 'Total')`, `op.db`), when known. */
  readonly op: string | undefined;
  /** The table concerned, when known. */
  readonly table: string | undefined;
  /** What to add to the op so it compiles offline (`copyFrom`, `existing.type`), when that is the cure. */
  readonly field: string | undefined;
  constructor(
    fields: { bind: string; revision: string; file?: string; op?: string; table?: string; field?: string },
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `[${fields.bind}] revision ${fields.revision} cannot be written offline` +
        (fields.op ? `: ${fields.op}` : '') +
        `: ${reason}` +
        (fields.file ? `\n  file: ${fields.file}` : ''),
      'OFFLINE',
      options,
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.file = fields.file;
    this.op = fields.op;
    this.table = fields.table;
    this.field = fields.field;
  }
}

/** What a bind's database was doing when a {@link BindError} happened. */
export type BindAction = 'connect' | 'identify' | 'lock' | 'read-version-table' | 'create-version-table' | 'write-version-table';

/**
 * A bind's database failed outside a revision's statements: opening it, identifying it, taking its
 * migration lock, reading, creating or updating its version table. The message names the bind and
 * where it points (a SQLite file's path, a server's masked URL), as
 * `[db2] cannot read the version table multidb_version of /srv/app/db2.db: file is not a database`.
 * The driver's error is the `cause`.
 *
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof BindError) console.error(e.bind, e.action, e.location); }
 * ```
 */
export class BindError extends MultidbError {
  readonly bind: string;
  readonly action: BindAction;
  /** Where the bind points: a SQLite file's path, a server's masked URL; undefined when unknown. */
  readonly location: string | undefined;
  /**
   * @param fields - `doing`: what failed, phrased to follow "cannot" and to precede the location
   *   (`'read the version table multidb_version of'`); `reason`: the driver's message, already
   *   masked; `hint`: what to do about it, if anything.
   * @param code - default `'CONNECT'` for `connect`, else `'BIND_DATABASE'`.
   */
  constructor(
    fields: { bind: string; action: BindAction; location?: string; doing: string; reason: string; hint?: string },
    options?: { cause?: unknown; code?: string },
  ) {
    const where = fields.location ? ` ${fields.location}` : '';
    super(
      `[${fields.bind}] cannot ${fields.doing}${where}: ${fields.reason}${fields.hint ? ` (${fields.hint})` : ''}`,
      options?.code ?? (fields.action === 'connect' ? 'CONNECT' : 'BIND_DATABASE'),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.bind = fields.bind;
    this.action = fields.action;
    this.location = fields.location;
  }
}

/** Two binds point at the same physical database. */
export class DuplicateDatabaseError extends MultidbError {
  readonly binds: readonly string[];
  constructor(binds: readonly string[], where: string) {
    super(`Binds ${binds.map((b) => `'${b}'`).join(' and ')} point at the same database (${where}); each bind needs its own.`, 'DUPLICATE_DATABASE');
    this.binds = binds;
  }
}
