import { closestKey } from './edit-distance.js';
import { headsMap } from './runtime/heads-map.js';
import type { StepResult } from './runtime/runner.js';
import type { IdentifierLimit, LockHolder } from './dialect/dialect.js';
import { formatLockHolder } from './dialect/format-lock-holder.js';
import { identifierPrefix } from './schema/identifier-length.js';

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

  /**
   * What `JSON.stringify(error)` writes (a structured log line): `name`, `code`, `message` (masked
   * as the message is) and the error's data fields, with a map (`InterruptedError.heads`) as an
   * object of its entries and an error that is not core's (`InterruptedError.reason` given as an
   * `Error`) as its `name` and `message`. Without it a map would be written `{}`, and the message
   * left out. The `stack` and `cause` (a driver's error) are not written.
   * @returns a plain object for `JSON.stringify`.
   * @example
   * ```ts
   * const controller = new AbortController();
   * try { await env.upgrade([], { signal: controller.signal }); }
   * catch (e) { if (e instanceof MultidbError) console.error(JSON.stringify(e)); } // {"name":"InterruptedError","code":"INTERRUPTED","message":"Interrupted: …","heads":{"db2":["3f2a"]},…}
   * ```
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key in json) continue;
      json[key] = value instanceof Map ? Object.fromEntries(value) : value instanceof Error && !(value instanceof MultidbError) ? { name: value.name, message: value.message } : value;
    }
    return json;
  }
}

/**
 * A configuration file that is missing, does not load, or holds invalid values; also a bind whose
 * `branch:` names no folder of the repository. `code` `'CONFIG'`.
 * @example
 * ```ts
 * try { await loadEnvironment({ dialects: [], config: 'missing.config.ts' }); }
 * catch (e) { if (e instanceof ConfigError) console.error(e.message, e.file); }
 * ```
 */
export class ConfigError extends MultidbError {
  /** The configuration file concerned, when known. */
  readonly file: string | undefined;
  constructor(message: string, file?: string, options?: { cause?: unknown }) {
    super(message, 'CONFIG', options);
    this.file = file;
  }
}

/**
 * A bind sets an option its dialect has no use for: `schema` or `versionTableSchema` (schemas
 * inside a database, PostgreSQL's) on MySQL/MariaDB, where a schema is a database of the server,
 * or on SQLite. Refused before the bind is connected, so nothing is created on the server. A
 * {@link ConfigError} (`code` `'CONFIG'`).
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof UnsupportedBindOptionError) console.error(e.bind, e.option, e.dialect); }
 * ```
 */
export class UnsupportedBindOptionError extends ConfigError {
  /** The bind that sets the option. */
  readonly bind: string;
  /** The option, as the config writes it under `binds.<bind>` (`'schema'`, `'versionTableSchema'`). */
  readonly option: string;
  /** The bind's dialect (its flavour when it has one: `'mariadb'`, `'sqlite'`). */
  readonly dialect: string;
  /**
   * @param fields - `hint`: what to do instead, a sentence (`'Remove it, and name the database in the bind's URL instead.'`).
   * @param file - the config file, when there is one.
   */
  constructor(fields: { bind: string; option: string; dialect: string; hint: string }, file?: string) {
    super(`Bind '${fields.bind}': binds.${fields.bind}.${fields.option} is not supported by ${fields.dialect}. ${fields.hint}`, file);
    this.bind = fields.bind;
    this.option = fields.option;
    this.dialect = fields.dialect;
  }
}

/**
 * A database URL that cannot be parsed or names no known dialect. The message masks the password.
 * `code` `'URL'`; `bind` names the bind whose URL it is (set on every one a command of the
 * environment throws; `undefined` from a URL parser called on its own, e.g. `parsePostgresUrl`).
 * @example
 * ```ts
 * try { await env.connection('db2'); }
 * catch (e) { if (e instanceof UrlError) console.error(e.bind, e.message); } // db2 Bind 'db2': no dialect for URL 'oracle://app:***@db/x'…
 * ```
 */
export class UrlError extends MultidbError {
  /** The bind whose URL it is, when known. */
  readonly bind: string | undefined;
  /**
   * @param options - `bind`: the bind whose URL it is; `cause`: the error it wraps.
   */
  constructor(message: string, options?: { bind?: string; cause?: unknown }) {
    super(message, 'URL', options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.bind = options?.bind;
  }
}

/**
 * A revision script whose header breaks the grammar, does not compile, or lacks an export
 * (`upgrade`, `downgrade`). `code` `'SCRIPT'`.
 * @example
 * ```ts
 * try { parseRevisionHeader("export const revision = 'a' + 'b';", '/repo/migrations/versions/db2/ab_x.ts'); }
 * catch (e) { if (e instanceof ScriptError) console.error(`${e.file}:${e.line}: ${e.message}`); }
 * ```
 */
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

/**
 * Base class of every error about the revision graph or a revision target (`code` `'REVISION'`
 * unless a subclass sets its own). Thrown as is for targets that do not parse and plans that cannot
 * be made.
 * @example
 * ```ts
 * try { await env.upgrade(['db2@+x']); }
 * catch (e) { if (e instanceof RevisionError) console.error(e.code, e.message); }
 * ```
 */
export class RevisionError extends MultidbError {
  constructor(message: string, code = 'REVISION', options?: { cause?: unknown }) {
    super(message, code, options);
  }
}

/**
 * A revision target written so that no state of the binds could make it valid: malformed
 * (`''`, `+0`, `head+1`, `heads-1`, `base-1`, `@head`, `db2@`, `a@b@c`, `db2-1` for a bind `db2`),
 * or stepping the wrong way for its command (`upgrade -1`, `downgrade db2@+1`). The message says
 * what to write instead. `code` `'TARGET_USAGE'`; the CLI exits 2 (usage) on it. A target that is
 * well formed but names nothing (an unknown revision or bind) is a {@link RevisionNotFoundError}
 * or `UnknownBindError` instead.
 * @example
 * ```ts
 * try { await env.upgrade(['-1']); }
 * catch (e) { if (e instanceof TargetUsageError) console.error(e.message); } // "'-1' steps down; use 'downgrade -1'."
 * ```
 */
export class TargetUsageError extends RevisionError {
  /** @param message - what is wrong with the target and what to write instead. */
  constructor(message: string) {
    super(message, 'TARGET_USAGE');
  }
}

/**
 * A target like `head` met a branch with more than one head. `code` `'MULTIPLE_HEADS'`; the message
 * suggests `<bind>@heads`, naming one head, or `migrate merge` (from code:
 * `commands.merge(env, e.heads, { message: 'merge' })`).
 * @example
 * ```ts
 * try { map.resolve('db2@head'); }
 * catch (e) { if (e instanceof MultipleHeadsError) console.log(e.branch, e.heads); }
 * ```
 */
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

/**
 * The revision graph has a cycle through down revisions or depends-on. `code` `'CYCLE'`; thrown
 * when the {@link RevisionMap} is built.
 * @example
 * ```ts
 * try { new RevisionMap(scripts); }
 * catch (e) { if (e instanceof CycleError) console.error(e.revisions.join(' -> ')); }
 * ```
 */
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

/**
 * A partial revision id matches more than one revision. `code` `'AMBIGUOUS_REVISION'`.
 * @example
 * ```ts
 * try { map.resolve('3f'); }
 * catch (e) { if (e instanceof AmbiguousRevisionError) console.error(`${e.argument}: ${e.candidates.join(', ')}`); }
 * ```
 */
export class AmbiguousRevisionError extends RevisionError {
  /** The revision id prefix as given. */
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

/**
 * A revision id, prefix or branch label that matches nothing. `code` `'REVISION_NOT_FOUND'`.
 * @example
 * ```ts
 * try { map.resolve('nope'); }
 * catch (e) { if (e instanceof RevisionNotFoundError) console.error(e.argument); }
 * ```
 */
export class RevisionNotFoundError extends RevisionError {
  /** The revision, prefix or label as given. */
  readonly argument: string;
  constructor(argument: string, detail?: string) {
    super(detail ?? `No revision, bind or branch label matches '${argument}'.`, 'REVISION_NOT_FOUND');
    this.argument = argument;
  }
}

/**
 * A bind name that is not in the configuration. `code` `'UNKNOWN_BIND'`.
 * @example
 * ```ts
 * try { env.bind('db3'); }
 * catch (e) { if (e instanceof UnknownBindError) console.error(`${e.bind} is not one of ${e.known.join(', ')}`); }
 * ```
 */
export class UnknownBindError extends RevisionError {
  /** The bind name as given. */
  readonly bind: string;
  /** The binds the configuration has. */
  readonly known: readonly string[];
  /** The configured bind the name likely meant (at most two edits away), named in the message; else `undefined`. */
  readonly suggestion: string | undefined;
  constructor(bind: string, known: readonly string[]) {
    const suggestion = closestKey(bind, known);
    super(`Unknown bind '${bind}'${suggestion !== undefined ? ` (did you mean '${suggestion}'?)` : ''}. Configured binds: ${listSome(known) || '(none)'}.`, 'UNKNOWN_BIND');
    this.bind = bind;
    this.known = known;
    this.suggestion = suggestion;
  }
}

/**
 * An options object given to a command (or to `loadEnvironment`, or to an environment's
 * `upgrade`, `downgrade`, `stamp` or `resolve`) holds a key it does not take: a misspelling
 * (`rnge` for `range`, `bind` for `binds`) or another command's option. From JavaScript without
 * types such a key would be ignored and the command run with its defaults (an upgrade of every
 * bind), so it is refused before anything is done: no config read, no database opened, no file
 * written. `code` `'UNKNOWN_OPTION'`; the message names the command, each unknown key with the
 * known key it likely meant, and the keys the command takes.
 * @example
 * ```ts
 * const options = JSON.parse('{"rnge": "base:head"}'); // as a JavaScript caller or a settings file gives it
 * try { await commands.history(env, options); }
 * catch (e) { if (e instanceof UnknownOptionError) console.error(e.message, e.unknown[0]?.suggestion); }
 * // history(): unknown option 'rnge' (did you mean 'range'?); history() takes bind, range, indicateCurrent. Nothing was done.
 * ```
 */
export class UnknownOptionError extends MultidbError {
  /** The function whose options these are, as the message names it (`'history()'`, `'loadEnvironment()'`). */
  readonly command: string;
  /** Each unknown key as given, in the object's order, with the known key it most likely meant (absent when none is close). */
  readonly unknown: readonly { readonly key: string; readonly suggestion?: string }[];
  /** The keys the function takes. */
  readonly known: readonly string[];
  constructor(command: string, unknown: readonly { readonly key: string; readonly suggestion?: string }[], known: readonly string[]) {
    const described = unknown.map((u) => `'${u.key}'${u.suggestion !== undefined ? ` (did you mean '${u.suggestion}'?)` : ''}`);
    super(
      `${command}: unknown option${unknown.length === 1 ? '' : 's'} ${described.join(', ')}; ${command} takes ${known.length ? known.join(', ') : 'no options'}. Nothing was done.`,
      'UNKNOWN_OPTION',
    );
    this.command = command;
    this.unknown = Object.freeze(unknown.map((u) => Object.freeze({ ...u })));
    this.known = Object.freeze([...known]);
  }
}

/**
 * Two scripts declare the same revision id (ids are unique across the whole repository). `code`
 * `'DUPLICATE_REVISION'`; thrown when the {@link RevisionMap} is built.
 * @example
 * ```ts
 * try { new RevisionMap(scripts); }
 * catch (e) { if (e instanceof DuplicateRevisionError) console.error(e.revision, e.files); }
 * ```
 */
export class DuplicateRevisionError extends RevisionError {
  /** The revision id declared twice. */
  readonly revision: string;
  /** The files that declare it (absolute paths). */
  readonly files: readonly string[];
  constructor(revision: string, files: readonly string[]) {
    super(`Revision '${revision}' is declared twice: ${files.join(' and ')}.`, 'DUPLICATE_REVISION');
    this.revision = revision;
    this.files = files;
  }
}

/**
 * A down revision or depends-on that names a revision which does not exist. `code`
 * `'MISSING_REVISION'`; thrown when the {@link RevisionMap} is built.
 * @example
 * ```ts
 * try { new RevisionMap(scripts); }
 * catch (e) { if (e instanceof MissingRevisionError) console.error(`${e.file}: ${e.revision} names ${e.missing}`); }
 * ```
 */
export class MissingRevisionError extends RevisionError {
  /** The revision that names the missing one. */
  readonly revision: string;
  /** The id it names, which no script declares. */
  readonly missing: string;
  /** The file of `revision`, when known. */
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
 * revision lies in another branch, or a merge crosses branches. `code` `'BRANCH'`; thrown when the
 * {@link RevisionMap} is built.
 * @example
 * ```ts
 * try { new RevisionMap(scripts); }
 * catch (e) { if (e instanceof BranchError) console.error(`${e.file ?? e.revision}: ${e.message}`); }
 * ```
 */
export class BranchError extends RevisionError {
  /** The revision that breaks the rule. */
  readonly revision: string;
  /** Its file, when known. */
  readonly file: string | undefined;
  constructor(message: string, revision: string, file?: string) {
    super(message, 'BRANCH');
    this.revision = revision;
    this.file = file;
  }
}

/**
 * A downgrade would remove a revision that an applied revision of another bind depends on. `code`
 * `'DEPENDENCY'`; the message says which bind to downgrade first.
 * @example
 * ```ts
 * try { await env.downgrade('catalog@base'); }
 * catch (e) { if (e instanceof DependencyError) console.error(`downgrade ${e.dependentBind} below ${e.dependent} first`); }
 * ```
 */
export class DependencyError extends RevisionError {
  /** The revision the downgrade would remove. */
  readonly revision: string;
  /** The applied revision that depends on it. */
  readonly dependent: string;
  /** The bind where `dependent` is applied, when known. */
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
 * A downgrade target above where its bind stands: a revision (or `head`, `head-N`, `base+N`) that
 * is not among the bind's applied revisions, so coming down to it would mean going up. Alembic's
 * "Destination <rev> is not a valid downgrade target from current head(s)". A downgrade to the
 * bind's current revision itself is not an error (nothing to do). `code` `'DOWNGRADE_TARGET'`.
 * The message's `'migrate upgrade <target>'` is `commands.upgrade(env, e.target)` from code, and
 * `'migrate history --indicate-current'` `commands.history(env, { indicateCurrent: true })`.
 * @example
 * ```ts
 * try { await env.downgrade('db2@3f2a9c1d7b40'); }
 * catch (e) { if (e instanceof DowngradeTargetError) console.error(e.binds.map((b) => `${b.bind} at ${b.heads.join(', ') || '<base>'}`)); }
 * ```
 */
export class DowngradeTargetError extends RevisionError {
  /** The target as written. */
  readonly target: string;
  /** The binds it selected, none of which has it applied, with their current heads (`[]`: base). */
  readonly binds: readonly { readonly bind: string; readonly heads: readonly string[] }[];
  constructor(target: string, binds: readonly { readonly bind: string; readonly heads: readonly string[] }[]) {
    const heads = (h: readonly string[]) => h.join(', ') || '<base>';
    const who = binds.length === 1 ? `Bind '${binds[0]!.bind}'` : `Binds ${listSome(binds.map((b) => `'${b.bind}'`))}`;
    const from = binds.length === 1 ? heads(binds[0]!.heads) : listSome(binds.map((b) => `${b.bind}: ${heads(b.heads)}`), LIST_MAX, '; ');
    super(
      `${who}: destination '${target}' is not a valid downgrade target from current head(s) ${from}: ` +
        `it is not applied (it is above them, or on another line). 'migrate upgrade ${target}' goes up to it; ` +
        `'migrate history --indicate-current' shows where ${binds.length === 1 ? 'the bind stands' : 'the binds stand'}.`,
      'DOWNGRADE_TARGET',
    );
    this.target = target;
    this.binds = binds;
  }
}

/**
 * A target that counts revisions from where each bind stands (`+1`, `-1`, `tenant@-1`) that
 * some binds of a run of independent groups (binds no depends-on links, such as tenants) cannot
 * take: `+1` on a bind already at its head, `tenant@-1` on a tenant at base, `+1` from two rows.
 * Such a run plans every group for that target before any runs, so nothing was run, as Alembic
 * refuses a relative target it cannot take before running anything. `code` `'RELATIVE_TARGET'`;
 * the CLI exits 1. The message names, per bind, the target it cannot take and why, then a target
 * a bind that can take it could be given instead (never one as written).
 * @example
 * ```ts
 * try { await env.upgrade('+1'); }
 * catch (e) { if (e instanceof RelativeTargetError) console.error(`cannot: ${e.failures.map((f) => `${f.bind} (${f.target ?? e.targets.join(', ')})`).join(', ')}; can: ${e.able.join(', ')}`); }
 * ```
 */
export class RelativeTargetError extends RevisionError {
  /** The targets that count revisions from where each bind stands, as written (`['+1']`). */
  readonly targets: readonly string[];
  /**
   * Each bind that cannot take them, with the planner's error for it (its message names the bind)
   * and, when known, the `target` (as written, one of {@link RelativeTargetError.targets}) it cannot take.
   */
  readonly failures: readonly { readonly bind: string; readonly error: RevisionError; readonly target?: string }[];
  /** The binds of the run that could take them, in config order. */
  readonly able: readonly string[];
  /**
   * @param targets - the targets that count revisions, as written.
   * @param failures - each bind that cannot take them, its planner error, and the target it cannot take.
   * @param able - the binds that can.
   * @param takes - for each bind of `able`, the targets of `targets` that concern it (default:
   *   every target), for the example the message gives.
   */
  constructor(
    targets: readonly string[],
    failures: readonly { readonly bind: string; readonly error: RevisionError; readonly target?: string }[],
    able: readonly string[],
    takes?: ReadonlyMap<string, readonly string[]>,
  ) {
    // One line per reason, with the binds it holds for: tenants at base share one.
    const reasons = new Map<string, string[]>();
    for (const { bind, error } of failures) {
      const reason = error.message.replace(`Bind '${bind}': `, '');
      const binds = reasons.get(reason);
      if (binds) binds.push(bind);
      else reasons.set(reason, [bind]);
    }
    const written = new Set(targets.map((t) => t.trim()));
    // The targets the binds named cannot take (each reason names its own), in the order written.
    const refused = failures.every((f) => f.target !== undefined) ? targets.filter((t) => failures.some((f) => f.target === t)) : targets;
    // An example a bind that can take it could be given: its own step, never a target as written.
    const stepOf = (t: string) => (t.includes('@') ? t.slice(t.indexOf('@') + 1) : t).trim();
    const example = able
      .flatMap((bind) => (takes?.get(bind) ?? targets).filter((t) => refused.includes(t)).map((t) => `${bind}@${stepOf(t)}`))
      .find((e) => !written.has(e));
    const one = failures.length === 1;
    super(
      `Nothing was run: ${one ? `bind '${failures[0]!.bind}' cannot` : `${failures.length} binds cannot`} take ${refused.map((t) => `'${t.trim()}'`).join(', ')} from where ${one ? 'it stands' : 'they stand'} ` +
        `(a target that counts revisions is planned for every bind before any runs). ` +
        listSome([...reasons].map(([reason, binds]) => `${listSome(binds)}: ${reason}`), LIST_MAX, ' ') +
        (example !== undefined ? ` Name the binds that can take it instead (e.g. '${example}').` : ''),
      'RELATIVE_TARGET',
    );
    this.targets = targets;
    this.failures = failures;
    this.able = able;
  }
}

/**
 * A bind's version table holds rows the revision map cannot use: a revision no script declares, a
 * revision of another branch, or a row that is an ancestor of another row.
 * `migrate stamp --purge <bind>@<rev>` rewrites the rows (from code:
 * `commands.stamp(env, e.bind + '@<rev>', { purge: true })`). `code` `'VERSION_TABLE'`.
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof VersionTableError) console.error(`[${e.bind}] unusable rows: ${e.revisions.join(', ')}`); }
 * ```
 */
export class VersionTableError extends RevisionError {
  /** The bind whose version table it is. */
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
 * A version-table update found other rows than the ones it was to replace: another runner changed
 * the table first. The step's transaction is rolled back, so history never forks. `code`
 * `'VERSION_TABLE'`; running the command again is the cure.
 * @example
 * ```ts
 * try { await env.stamp(['db2@head']); }
 * catch (e) { if (e instanceof VersionTableConflictError) console.error(`[${e.bind}] expected ${e.expected.join(', ')}`); }
 * ```
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

/**
 * A command that needs one bind, given several with no bind named (a bare `downgrade`,
 * `downgrade -1`, `revision` without `--bind`). `code` `'BIND_REQUIRED'`.
 * @example
 * ```ts
 * try { await env.downgrade('-1'); }
 * catch (e) { if (e instanceof BindRequiredError) console.error(`name one of ${e.binds.join(', ')}`); }
 * ```
 */
export class BindRequiredError extends RevisionError {
  /** The configured binds to choose from. */
  readonly binds: readonly string[];
  /**
   * @param example - how to name a bind for this command (default: the downgrade forms
   *   `'<bind>' or '<bind>@-1'`), e.g. `` `--bind ${binds[0]}` `` for `revision`.
   */
  constructor(what: string, binds: readonly string[], example?: string) {
    super(
      `${what} needs a bind: name one of ${listSome(binds)} (e.g. ${example ?? `'${binds[0]}' or '${binds[0]}@-1'`}).`,
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
      `'${command} ${target}' would ${command} every bind of branch '${branch}' (${listSome(binds)}), which share it. ` +
        `Name one bind (e.g. '${example}'), or add --all-binds to ${command} all ${binds.length}.`,
      'SHARED_BRANCH',
    );
    this.command = command;
    this.target = target;
    this.branch = branch;
    this.binds = binds;
  }
}

/** Reads a {@link MigrationError}'s private `#linked` (set by the class's static block), for {@link migrationErrorLinked}. */
let linkedOfMigrationError: (error: MigrationError) => readonly string[];

/**
 * The binds of a {@link MigrationError}'s `notRun` that `concurrency` would not run either (its
 * constructor's `linked`), for a run that makes the error again with more binds not run.
 * @internal
 */
export function migrationErrorLinked(error: MigrationError): readonly string[] {
  return linkedOfMigrationError(error);
}

/**
 * A statement of a revision failed while it ran. The bind stays at its previous revision where the
 * dialect rolls DDL back; `partial` says when part of the revision may remain (no transactional
 * DDL). `code` `'MIGRATION'`; the driver's error is the `cause`.
 *
 * The message speaks the CLI's words; from code, the fields say the same:
 * {@link MigrationError.notRun} names the binds a run one bind after the other did not reach
 * (`'--concurrency N' goes on past a failing bind`, said when one of them has a step left that
 * does not wait by depends-on on the failed revision, nor on a later one of its bind, is
 * `RunOptions.concurrency` N > 1, or `keepGoing: true`: the run then throws a {@link RunError}); a
 * {@link MigrationError.resumable} one (MySQL/MariaDB: part of it applied and recorded) resumes
 * when the same call runs again, or is recorded by hand (`'migrate resolve db2 --applied'` is
 * `commands.resolve(env, e.bind, { applied: true })`, `--not-applied` `{ applied: false }`); for a
 * {@link MigrationError.progressUnread} one, `commands.status(env, e.bind)` says whether it is
 * still in flight.
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) {
 *   if (!(e instanceof MigrationError)) throw e;
 *   console.error(`[${e.bind}] ${e.revision} (${e.file}): ${e.statement}`);
 *   if (e.resumable) console.error(`run it again to resume, or repair ${e.bind} by hand and: await commands.resolve(env, '${e.bind}', { applied: true })`);
 * }
 * ```
 */
export class MigrationError extends MultidbError {
  /** The bind the revision ran on. */
  readonly bind: string;
  /** The revision that failed. */
  readonly revision: string;
  /** The revision's file, when known. */
  readonly file: string | undefined;
  /**
   * The line of {@link file} the failure was thrown from or awaited at (its first frame in the
   * cause's stack), when the stack names it: a throw of the revision's own code, a failing `op.db`
   * query. A failing op's statement (see {@link statement}) usually leaves it `undefined`: the
   * driver's stack does not reach the revision's frames.
   */
  readonly line: number | undefined;
  /**
   * The SQL that failed, when the failure came from the statement of an op (`op.createTable`,
   * `op.execute`, `op.bulkInsert`…) or from a query of `op.db` (as Kysely compiled it, with its
   * placeholders: `insert into "Genre" ("GenreId") values (?)`), also one of a transaction opened
   * with `op.db.transaction()` (its BEGIN or COMMIT too), or from a statement of the bind's
   * connection itself: the run's `COMMIT` of the revision (refused by a PostgreSQL
   * `DEFERRABLE INITIALLY DEFERRED` constraint), SQLite's foreign-key check before it
   * (`PRAGMA foreign_key_check`), a `BEGIN`. The driver's error (or the check's) is the `cause`.
   * Named by the error object the statement or query threw (or one it wraps as `cause`):
   * `undefined` when the revision caught that error and then failed with another of its own, or
   * when the failure was no statement's (a `throw` of the revision).
   */
  readonly statement: string | undefined;
  /** True when part of the revision may have been applied (dialect without transactional DDL). */
  readonly partial: boolean;
  /**
   * True when the revision ran outside a transaction but is known to have applied nothing: its
   * progress was tracked (MySQL/MariaDB) and it failed before its first write completed. `partial`
   * is then false.
   */
  readonly nothingApplied: boolean;
  /** The bind's version-table rows after the failure (`[]`: base), when known. */
  readonly at: readonly string[] | undefined;
  /** True when the completed part of a partly applied revision is recorded, so running it again resumes. */
  readonly resumable: boolean;
  /**
   * True when the revision's progress is tracked (MySQL/MariaDB) but could not be read after the
   * failure (its connection was lost: a server restart, a `KILL`): what it completed is whatever its
   * progress rows on the server say, and running the command again reads them (it resumes after
   * the writes recorded there, or runs the revision from its start when there are none).
   */
  readonly progressUnread: boolean;
  /**
   * The other binds a run one bind after the other (no `concurrency`) did not run because it
   * stopped here: binds with steps after the failed one, in plan order (`[]` when none). A bind
   * of a group the run did not start is named when it had steps to run (read without its lock when
   * it was connected, as every bind of a run of 16 binds or fewer is, or planned before the run for
   * a relative target; one at its target is not). A server bind whose read the run's signal cut
   * short is named too.
   */
  readonly notRun: readonly string[];
  /** Which way the revision ran (`'up'`: upgrade, `'down'`: downgrade), when known. */
  readonly direction: 'up' | 'down' | undefined;
  /**
   * The steps the run completed (committed, so recorded in their version tables) before it stopped
   * here, in plan order: a run one bind after the other (no `concurrency`) lists every bind's; in a
   * {@link RunError}'s `failures`, this bind's own (the run's are the RunError's
   * {@link RunError.completed}). `[]` when none completed, or for an error made outside a run.
   * Steps of a per-run transaction that the failure rolled back are not listed.
   */
  readonly completed: readonly StepResult[];
  /**
   * The database server's DETAIL of the failure, when it sent one (PostgreSQL does for many
   * errors: `Key (email)=(ann@example.org) is duplicated.` for a unique index over duplicate rows,
   * `Labels must be 63 bytes or less.`), read from the cause chain; also a line of the message
   * (`detail: …`). `undefined` when the server sent none (MySQL/MariaDB and SQLite never do).
   */
  readonly detail: string | undefined;
  /** The database server's HINT of the failure, as {@link detail} (a line `hint: …` of the message). */
  readonly hint: string | undefined;
  /**
   * The run's targets that count revisions from where each bind stands (`'+2'`, `'tenant@-1'`), as
   * written, when such a run (see {@link retry}) completed steps before it stopped here: running
   * them again would step again the binds that ran, whatever {@link retry} and {@link retryByHand}
   * say. `[]` otherwise (running the same command again finishes the run). Non-empty with both of
   * those empty: no command finishes the run (a downgrade of one line of a branch with several
   * heads, which `'<bind>@<revision>'` cannot say; the message's last line says so, and that
   * `migrate current` shows where each bind stands), which `retry` alone cannot tell from a run the
   * same command again finishes. As {@link RunError.relative}. `[]` in a {@link RunError}'s
   * `failures` (the RunError's own).
   */
  readonly relative: readonly string[];
  /**
   * A run one group after the other (no `concurrency`) of targets that count revisions from
   * where each bind stands (`+2`, `tenant@-1`) that completed steps before it stopped here:
   * running those targets again would step again the binds that ran, so these are the targets
   * to give the same command instead (see {@link RunRetry.targets}); the message's last line says
   * so (`running '+2' again would step again the binds that ran; …, run instead: migrate upgrade
   * t2@7a7a7a7a7a02 t3@7a7a7a7a7a02.`). `[]` otherwise (running the same command again finishes
   * the run), and in a {@link RunError}'s `failures` (the RunError's own {@link RunError.retry}).
   */
  readonly retry: readonly string[];
  /**
   * With {@link retry}: the binds the run never planned (nothing was read there: not reached)
   * whose targets follow one line of a forked branch (`fa@+1`), which no target scoped to one bind
   * says, so none of {@link retry}'s targets is theirs: once such a bind can be reached, give it
   * by hand the revision its `targets` lead it to from where it stands (`migrate current t3`, then
   * `migrate upgrade t3@<revision>`; see {@link RunRetry.byHand}); the message says so. A script
   * that runs {@link retry} alone leaves these short. In run order; `[]` when none.
   */
  readonly retryByHand: readonly RetryByHand[];
  /**
   * The binds of {@link notRun} whose every step left waits (by depends-on) on the failed revision
   * or on a later one of its bind: `concurrency` would not run them either.
   */
  readonly #linked: readonly string[];
  static {
    linkedOfMigrationError = (error) => error.#linked;
  }
  /**
   * @param fields - what the failure is about (see the fields of the same names); `retry`: how to
   *   finish the run when its targets count revisions from where each bind stands (see
   *   {@link retry}); `linked`: the binds of `notRun` whose every step left waits (by depends-on)
   *   on the failed revision or on a later one of its bind, for which the message does not say
   *   that `--concurrency N` goes on (default `[]`).
   * @param cause - the driver's error, or what the revision threw.
   */
  constructor(
    fields: {
      bind: string;
      revision: string;
      direction?: 'up' | 'down';
      file?: string;
      line?: number;
      statement?: string;
      partial?: boolean;
      nothingApplied?: boolean;
      at?: readonly string[];
      resumable?: boolean;
      progressUnread?: boolean;
      notRun?: readonly string[];
      linked?: readonly string[];
      completed?: readonly StepResult[];
      retry?: RunRetry;
    },
    cause: unknown,
  ) {
    const notRun = fields.notRun ?? [];
    const linked = (fields.linked ?? []).filter((b) => notRun.includes(b));
    // Only binds with a step that does not wait on the failure would run with --concurrency.
    const goesOn = notRun.some((b) => !linked.includes(b)) ? `; '--concurrency N' goes on past a failing bind` : '';
    const retry = fields.retry?.relative.length ? fields.retry : undefined;
    // Relative targets (`+2`) run again would step again the binds that ran: the command it gives instead.
    const again = retry ? 'the command this error gives to finish the run' : 'the command again';
    // A cause that names the bind already (`[db2] the connection to the server was lost: …`) is not named twice.
    const said = cause instanceof Error ? cause.message : String(cause);
    const reason = said.startsWith(`[${fields.bind}] `) ? said.slice(fields.bind.length + 3) : said;
    const where = fields.at ? formatRevisions(fields.at) : undefined;
    const server = serverNotes(cause);
    super(
      `[${fields.bind}] revision ${fields.revision} failed: ${reason}` +
        (server.detail !== undefined ? `\n  detail: ${oneLine(server.detail)}` : '') +
        (server.hint !== undefined ? `\n  hint: ${oneLine(server.hint)}` : '') +
        // The statement on one line (its own line breaks are layout); the field keeps it as sent.
        (fields.statement ? `\n  statement: ${fields.statement.trim().replace(/\s*\n\s*/g, ' ')}` : '') +
        (fields.file ? `\n  file: ${fields.file}${fields.line !== undefined ? `:${fields.line}` : ''}` : '') +
        (fields.partial && fields.resumable
          ? `\n  part of this revision was applied and its progress recorded; the version table is at the last completed revision${where ? ` (${where})` : ''}.` +
            ` Fix what failed (the revision may change from the write that failed on, not before it), then run ${again} to resume after the last completed write, or repair the database by hand and run 'migrate resolve ${fields.bind} --applied' or '--not-applied'.`
          : fields.partial && fields.progressUnread
          ? `\n  part of this revision may have been applied; its progress could not be read (the connection failed); the version table is at the last completed revision${where ? ` (${where})` : ''}.` +
            ` Run ${again}: it resumes after the writes recorded on the server, or runs the revision from its start when none were ('migrate status ${fields.bind}' shows which).`
          : fields.partial
          ? `\n  part of this revision may have been applied; the version table is at the last completed revision${where ? ` (${where})` : ''}.`
          : fields.nothingApplied
          ? `\n  nothing of it was applied (it failed before its first write); '${fields.bind}' stays at ${where ?? 'its previous revision'}.`
          : `\n  rolled back; '${fields.bind}' stays at ${where ?? 'its previous revision'}.`) +
        (notRun.length ? `\n  not run (the run stopped here): ${listSome(notRun)}${goesOn}.` : '') +
        (retry ? `\n  ${relativeRetryNote(retry)}` : ''),
      'MIGRATION',
      { cause },
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.file = fields.file;
    this.line = fields.line;
    this.statement = fields.statement;
    this.partial = fields.partial ?? false;
    this.nothingApplied = fields.nothingApplied ?? false;
    this.at = fields.at;
    this.resumable = fields.resumable ?? false;
    this.progressUnread = fields.progressUnread ?? false;
    this.notRun = Object.freeze([...notRun]);
    this.#linked = Object.freeze(linked);
    this.direction = fields.direction;
    this.completed = Object.freeze([...(fields.completed ?? [])]);
    this.detail = server.detail;
    this.hint = server.hint;
    this.relative = Object.freeze([...(retry?.relative ?? [])]);
    this.retry = Object.freeze([...(retry?.targets ?? [])]);
    this.retryByHand = frozenByHand(retry?.byHand);
  }
}

/**
 * The DETAIL and HINT a database server sent with an error (PostgreSQL's protocol fields, as `pg`
 * gives them on its `DatabaseError`: `severity`, `detail`, `hint`), from the first error of the
 * `cause` chain (at most 8 deep) that carries them; empty strings count as none.
 */
function serverNotes(cause: unknown): { readonly detail?: string; readonly hint?: string } {
  let error = cause;
  for (let depth = 0; depth < 8 && typeof error === 'object' && error !== null; depth++) {
    const fields = error as { readonly severity?: unknown; readonly detail?: unknown; readonly hint?: unknown; readonly cause?: unknown };
    const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
    if (typeof fields.severity === 'string' && (text(fields.detail) !== undefined || text(fields.hint) !== undefined)) {
      const detail = text(fields.detail);
      const hint = text(fields.hint);
      return { ...(detail !== undefined ? { detail } : {}), ...(hint !== undefined ? { hint } : {}) };
    }
    error = fields.cause;
  }
  return {};
}

/** Names, the first 20 of a longer list followed by `and N more`: one readable line for thousands of tenants. */
/** How many names a message lists before "and N more" (the error object keeps them all). */
export const LIST_MAX = 20;

/**
 * Revisions as messages print a version table's rows: `'a1, b2'`, or `'<base>'` for none.
 * @example
 * ```ts
 * formatRevisions([]); // '<base>'
 * ```
 * @internal
 */
export function formatRevisions(revisions: readonly string[]): string {
  return revisions.length ? revisions.join(', ') : '<base>';
}

/**
 * A message as one line, for a line of a log or of a list of failures: its lines joined by `; `,
 * or by a space after a line that ends a sentence or introduces what follows (`.`, `:`, `;`, `,`),
 * each line trimmed and blank lines dropped.
 *
 * @param message - the text, of any number of lines.
 * @returns one line.
 * @example
 * ```ts
 * oneLine("[db2] revision a2 failed: boom\n  file: a2.ts\n  rolled back; 'db2' stays at a1.");
 * // "[db2] revision a2 failed: boom; file: a2.ts; rolled back; 'db2' stays at a1."
 * oneLine("Cannot find module 'x'\nRequire stack:\n- /app/a.js"); // "Cannot find module 'x'; Require stack: - /app/a.js"
 * ```
 */
export function oneLine(message: string): string {
  let out = '';
  for (const raw of message.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    out += out === '' ? line : /[.:;,]$/.test(out) ? ` ${line}` : `; ${line}`;
  }
  return out;
}

/**
 * Names joined for a message, at most `max` of them then `and N more`: a config of 2,000 tenants
 * must not make a 2,000-name message. The error object keeps the full list in its fields.
 *
 * @param names - the names (or items) to list.
 * @param max - how many to show (default {@link LIST_MAX}).
 * @param separator - between two names (default `', '`).
 * @returns the list as text (`''` for none).
 * @example
 * ```ts
 * listSome(['t1', 't2', 't3'], 2); // 't1, t2 and 1 more'
 * ```
 * @internal
 */
export function listSome(names: readonly string[], max = LIST_MAX, separator = ', '): string {
  return names.length <= max ? names.join(separator) : `${names.slice(0, max).join(separator)} and ${names.length - max} more`;
}

/** A step that was not run because a bind it waits on failed (see {@link RunError}). */
export interface SkippedStep {
  /** The bind of the step. */
  readonly bind: string;
  /** The revision the step would have run. */
  readonly revision: string;
}

/**
 * How to finish a run given targets that count revisions from where each bind stands (`+2`,
 * `tenant@-1`), once it completed steps and left binds short of those targets (a failure, a lock
 * not acquired, a bind not reached, a signal): running the same targets again would step again
 * the binds that ran, so the error that stopped the run gives, in {@link targets}, what to run
 * instead. See {@link RunError.retry}, {@link MigrationError.retry}, {@link LockTimeoutError.retry},
 * {@link UnreachableBindsError.retry}, {@link InterruptedError.retry}. The error keeps
 * {@link relative} too (`MigrationError.relative`, …): when `targets` and `byHand` are both empty,
 * it alone says that running the same command again would step again the binds that ran.
 */
export interface RunRetry {
  /** The run's command; a downgrade takes one target, so one command per target. */
  readonly command: 'upgrade' | 'downgrade';
  /** The run's targets that count from where each bind stands, as written (`'+2'`, `'tenant@-1'`). */
  readonly relative: readonly string[];
  /**
   * The targets that finish what they meant for every bind the run left short of them, in run
   * order: `'<bind>@<revision>'` for the rows its plan led to (`'<bind>@base'` for none); for a
   * bind never planned (nothing was read there), the targets that concern it, written for it
   * alone (`'t2@+1'`), unless one follows a line of a forked branch (see {@link byHand}). `[]` for
   * a downgrade that no such targets finish: one that takes back one line of a branch with several
   * heads (`'<bind>@<revision>'` takes back only what descends from that revision, so the other
   * line's would stay); the message then says so.
   */
  readonly targets: readonly string[];
  /**
   * Binds never planned (nothing was read there: not reached) whose targets follow one line of a
   * forked branch (`fa@+1`: from the bind's revision on the line of branch label `fa`, along it),
   * which no target scoped to one bind says (`t3@+1` walks from t3's revisions on the whole branch,
   * maybe up the other fork): none of {@link targets} is theirs; once such a bind can be reached,
   * it is given by hand the revision those targets lead it to from where it stands. The message
   * says so. Absent when there are none. The error that stopped the run has them in its
   * `retryByHand` ({@link RunError.retryByHand}, …; `[]` when none).
   */
  readonly byHand?: readonly RetryByHand[];
}

/**
 * A bind the run never planned whose targets follow a line of a forked branch (see
 * {@link RunRetry.byHand}).
 */
export interface RetryByHand {
  /** The bind. */
  readonly bind: string;
  /** Every target of the run that concerns it, as written (`'fa@+1'`). */
  readonly targets: readonly string[];
}

/** A run's {@link RetryByHand} binds as an error keeps them (frozen; `[]` for none). */
function frozenByHand(byHand: readonly RetryByHand[] | undefined): readonly RetryByHand[] {
  return Object.freeze((byHand ?? []).map((b) => Object.freeze({ bind: b.bind, targets: Object.freeze([...b.targets]) })));
}

/**
 * A group of binds of a run of independent groups (tenants) that ran nothing because of an error
 * about one of its binds before any step ran (see {@link RunError.stopped}): its migration lock
 * timed out ({@link LockTimeoutError}), its database takes no writes ({@link ReadOnlyBindError}),
 * it has a revision partly applied ({@link PartlyAppliedError}), or where it stands cannot be
 * planned (a {@link RevisionError}, e.g. a version table naming a revision the scripts do not have).
 */
export interface StoppedGroup {
  /** The bind the error is about (else the group's first). */
  readonly bind: string;
  /** Every bind of the group, none of which ran a step, in config order. */
  readonly binds: readonly string[];
  /** The bind's version-table rows, where it stays (`[]`: base), when they could be read. */
  readonly at: readonly string[] | undefined;
  /** Why the group stopped. */
  readonly error: MultidbError;
}

/**
 * Where a stopped group's bind stays, phrased to follow its error:
 * `'t007' stays at b2b2b2b2b2b2 (nothing ran on t007)`.
 * @example
 * ```ts
 * stoppedWhere({ bind: 't007', binds: ['t007'], at: [], error: new LockTimeoutError('t007', 1000) });
 * // "'t007' stays at <base> (nothing ran on t007)"
 * ```
 */
export function stoppedWhere(stopped: StoppedGroup): string {
  const where = stopped.at === undefined ? 'where it was' : stopped.at.length ? `at ${stopped.at.join(', ')}` : 'at <base>';
  return `'${stopped.bind}' stays ${where} (nothing ran on ${listSome(stopped.binds)})`;
}

/**
 * A run with `concurrency` > 1 in which one or more binds failed or could not be reached. Each
 * failing bind stopped at its previous revision (see each {@link MigrationError}); an unreachable
 * bind (see {@link RunError.unreachable}) ran nothing; a group of a run of independent groups
 * stopped by an error about one of its binds before any step (see {@link RunError.stopped}) ran
 * nothing; the steps that waited on a failed or unreachable bind (its dependents, transitively)
 * were not run; every other bind went on to its target. The message has one line per unreachable
 * bind, per stopped group and per failure, then the steps not run. When the run was also asked
 * to stop (`RunOptions.signal`), what the signal left is apart, in {@link RunError.interrupted}.
 * A run (`upgrade`, `downgrade`) ends the message with how to finish it: running the same command
 * again runs only what is left; but for targets that count revisions from where each bind stands
 * (`+2`), which would step again the binds that ran, the targets of {@link RunError.retry} instead.
 *
 * @example
 * ```ts
 * try { await env.upgrade('+2', { concurrency: 4 }); }
 * catch (e) {
 *   if (e instanceof RunError) {
 *     for (const f of e.failures) console.log(f.bind, f.revision);
 *     // Once fixed: just what '+2' meant for the binds it left (['t2@7a7a7a7a7a02']).
 *     if (e.retry.length) console.log(`then: migrate upgrade ${e.retry.join(' ')}`);
 *     // Binds not reached whose targets follow a line of a forked branch ('fa@+1'): by hand.
 *     for (const b of e.retryByHand) console.log(`${b.bind}: give it what ${b.targets.join(' ')} leads it to`);
 *   }
 * }
 * ```
 */
export class RunError extends MultidbError {
  /** The failed steps, one per failed bind, in plan order. */
  readonly failures: readonly MigrationError[];
  /**
   * The steps not run because they (transitively) wait on a failed or unreachable bind, in plan
   * order. Steps the run's signal left are not among them (see {@link interrupted}).
   */
  readonly skipped: readonly SkippedStep[];
  /**
   * The binds that could not be connected (or identified), in sorted order: none of their steps
   * ran, nor any step that waits on them; the other binds went on.
   */
  readonly unreachable: readonly BindError[];
  /**
   * The groups of a run of independent groups (tenants) that an error about one of their binds
   * stopped before any of their steps ran (lock timeout, read-only database, partly applied
   * revision, a planning error that depends on where the bind stands), in sorted order of bind.
   */
  readonly stopped: readonly StoppedGroup[];
  /**
   * The steps the run completed (committed) on every bind, the failed ones' before they failed and
   * the others', in plan order (a run of independent groups: group after group). `[]` when none.
   */
  readonly completed: readonly StepResult[];
  /**
   * When the run was also asked to stop (`RunOptions.signal`): what the signal left, as a run
   * without failures would have said it (its `pending` steps, not started and waiting on no
   * failed bind; its `notStarted` binds, nothing read or changed there; and where their binds
   * stand, `heads`), both empty when it came during the last revisions. `undefined` otherwise.
   */
  readonly interrupted: InterruptedError | undefined;
  /**
   * The run's targets that count from where each bind stands (`+1`, `tenant@-1`), when it was
   * given some and completed steps; `[]` otherwise. Running the same command again would step
   * again the binds that took them: the message then says so, and gives the targets of
   * {@link retry} instead.
   */
  readonly relative: readonly string[];
  /**
   * With {@link relative} targets: the targets that finish what they meant, without stepping
   * again the binds that ran, for every bind the run left short of its target (a failed bind, one
   * with steps not run, a stopped group's, an unreachable one, one the signal left):
   * `'<bind>@<revision>'` for the rows its plan led to (`'<bind>@base'` for none), exact whatever
   * the bind ran before it stopped; for a bind never planned (nothing was read there), the
   * targets that concern it, written for it alone (`'t2@+1'`), except where one follows a line of
   * a forked branch (`'fa@+1'`), which no target says for one bind: such a bind gets none, and the
   * message says to give it by hand the revision they lead it to (see {@link RunRetry.byHand}). In run order; give them to the same
   * command (`migrate upgrade t2@7a7a7a7a7a02 t5@7a7a7a7a7a02`; a downgrade takes one target, so one
   * command per bind). `[]` when running the same command again does that (its targets are
   * absolute: `head`, a revision; or no step completed), or when not known (an error made
   * outside a run).
   */
  readonly retry: readonly string[];
  /**
   * With {@link retry}: the binds the run never planned (nothing was read there: not reached)
   * whose targets follow one line of a forked branch (`fa@+1`), which no target scoped to one bind
   * says, so none of {@link retry}'s targets is theirs: once such a bind can be reached, give it
   * by hand the revision its `targets` lead it to from where it stands (`migrate current t3`, then
   * `migrate upgrade t3@<revision>`; see {@link RunRetry.byHand}); the message says so. A script
   * that runs {@link retry} alone leaves these short. In run order; `[]` when none.
   */
  readonly retryByHand: readonly RetryByHand[];
  /**
   * @param failures - the failed steps; `skipped`: the steps not run (waiting on a failure);
   *   `unreachable`, `stopped`, `completed`, `interrupted`: see the fields.
   * @param options - `relative`: the run's targets that count from where each bind stands (see
   *   {@link RunError.relative}; kept only when `completed` is not empty); `retry`: the run's
   *   command and, with `relative`, the targets that finish what it meant (see
   *   {@link RunError.retry}). With `retry`, the message's last line says how to finish the run:
   *   with `relative`, running them again would step again the binds that ran, and the command
   *   with the targets instead (`migrate upgrade t2@7a7a7a7a7a02`); without, that running the
   *   same command again runs only what is left.
   */
  constructor(
    failures: readonly MigrationError[],
    skipped: readonly SkippedStep[] = [],
    unreachable: readonly BindError[] = [],
    stopped: readonly StoppedGroup[] = [],
    completed: readonly StepResult[] = [],
    interrupted?: InterruptedError,
    options: { readonly relative?: readonly string[]; readonly retry?: { readonly command: 'upgrade' | 'downgrade'; readonly targets?: readonly string[]; readonly byHand?: readonly RetryByHand[] } } = {},
  ) {
    const count = failures.length + unreachable.length + stopped.length;
    const relative = completed.length ? (options.relative ?? []).map((t) => t.trim()) : [];
    const retry = relative.length ? [...(options.retry?.targets ?? [])] : [];
    const messages = [...unreachable.map((f) => f.message), ...stopped.map((st) => `${st.error.message}\n${stoppedWhere(st)}`), ...failures.map((f) => f.message)];
    const lines = messages.slice(0, LIST_MAX).map((m) => `  ${oneLine(m)}`);
    if (count > LIST_MAX) lines.push(`  and ${count - LIST_MAX} more failed bind(s) (see failures, stopped and unreachable)`);
    super(
      `${count} bind${count === 1 ? '' : 's'} failed:\n` +
        lines.join('\n') +
        (skipped.length ? `\n  not run (waiting on a failed bind): ${listSome(skipped.map((s) => `[${s.bind}] ${s.revision}`))}` : '') +
        (interrupted?.pending.length ? `\n  not run (the run was interrupted): ${listSome(interrupted.pending.map((s) => `[${s.bind}] ${s.revision}`))}` : '') +
        (interrupted?.notStarted.length ? `\n  not started (the run was interrupted): ${listSome(interrupted.notStarted)}` : '') +
        (relative.length ? `\n  ${relativeRetryNote({ command: options.retry?.command, relative, targets: retry, ...(options.retry?.byHand ? { byHand: options.retry.byHand } : {}) })}` : options.retry ? '\n  running the same command again, once what failed is fixed, runs only what is left.' : ''),
      'RUN',
      count ? { cause: unreachable[0] ?? stopped[0]?.error ?? failures[0] } : undefined,
    );
    this.failures = Object.freeze([...failures]);
    this.skipped = Object.freeze(skipped.map((s) => Object.freeze({ bind: s.bind, revision: s.revision })));
    this.unreachable = Object.freeze([...unreachable]);
    this.stopped = Object.freeze(stopped.map((s) => Object.freeze({ bind: s.bind, binds: Object.freeze([...s.binds]), at: s.at, error: s.error })));
    this.completed = Object.freeze([...completed]);
    this.interrupted = interrupted;
    this.relative = Object.freeze(relative);
    this.retry = Object.freeze(retry);
    this.retryByHand = frozenByHand(relative.length ? options.retry?.byHand : undefined);
  }
}

/**
 * What a retry of a run's relative targets would do, and what to run instead (see
 * {@link RunRetry}), as the last line of the message of the error that stopped the run:
 * `"running '+2' again would step again the binds that ran; to finish just what it meant, once
 * what failed is fixed, run instead: migrate upgrade t2@7a7a7a7a7a02."` (stopped by a signal,
 * without `once what failed is fixed,`; a downgrade: one command per bind, a downgrade taking one
 * target); at most {@link LIST_MAX} targets, then how many more. Binds to give their revision by
 * hand ({@link RunRetry.byHand}) follow: `"for t3 (nothing was read there), 'fa@+1' moves along the
 * line of 'fa' on a forked branch, which no target says for one bind alone: once it can be
 * reached, upgrade it to the revision that 'fa@+1' leads it to from where it stands (migrate
 * current t3 shows where; then migrate upgrade t3@<revision>)."`
 */
function relativeRetryNote(
  retry: { readonly command?: 'upgrade' | 'downgrade' | undefined; readonly relative: readonly string[]; readonly targets: readonly string[]; readonly byHand?: readonly RetryByHand[] },
  stoppedBy: 'failure' | 'signal' = 'failure',
): string {
  const { command, relative, targets } = retry;
  const byHand = command === undefined ? [] : (retry.byHand ?? []);
  const again = `running ${relative.map((t) => `'${t}'`).join(' ')} again would step again the binds that ran`;
  // A downgrade of one line of a branch with several heads: no `<bind>@<rev>` takes a bind left
  // just there (see retry-targets' PlannedRows), so no command is given.
  if (command === 'downgrade' && targets.length === 0 && byHand.length === 0) {
    return `${again}; no downgrade of each bind left to one of its revisions takes it just where the run meant (a revision of another line of its branch would stay applied): 'migrate current' shows where each stands.`;
  }
  if (command === undefined || (targets.length === 0 && byHand.length === 0)) return `${again}; give each bind left the revision the run planned for it instead.`;
  const fixed = stoppedBy === 'failure' ? 'once what failed is fixed, ' : '';
  const parts = [again];
  if (targets.length) {
    const more = targets.length > LIST_MAX ? ` (and ${targets.length - LIST_MAX} more: the error's retry lists every target)` : '';
    const shown = targets.slice(0, LIST_MAX);
    const run = command === 'upgrade' ? `migrate upgrade ${shown.join(' ')}` : shown.map((t) => `migrate downgrade ${t}`).join('; ');
    parts.push(`to finish just what it meant, ${fixed}run instead: ${run}${more}`);
  }
  // The binds given the same targets, together.
  const groups = new Map<string, { readonly targets: readonly string[]; readonly binds: string[] }>();
  for (const { bind, targets: theirs } of byHand) {
    const key = theirs.join('\u0000');
    const group = groups.get(key);
    if (group) group.binds.push(bind);
    else groups.set(key, { targets: theirs, binds: [bind] });
  }
  for (const { targets: theirs, binds } of groups.values()) {
    const one = binds.length === 1;
    const quoted = theirs.map((t) => `'${t}'`).join(' ');
    // One target: the line it names (`fa@+1`: the line of 'fa'), as the parser's messages name it.
    const qualifier = theirs.length === 1 && theirs[0]!.includes('@') ? theirs[0]!.slice(0, theirs[0]!.indexOf('@')) : undefined;
    const follows = qualifier !== undefined ? `moves along the line of '${qualifier}' on a forked branch` : theirs.length === 1 ? 'moves along a line of a forked branch' : 'move along lines of a forked branch';
    const leads = theirs.length === 1 ? 'leads' : 'lead';
    const where = one ? `migrate current ${binds[0]} shows where; then migrate ${command} ${binds[0]}@<revision>` : `migrate current <bind> shows where; then migrate ${command} <bind>@<revision>`;
    parts.push(
      `for ${listSome(binds)} (nothing was read there), ${quoted} ${follows}, which no target says for one bind alone: ` +
        `once ${one ? 'it' : 'each'} can be reached, ${command} it to the revision that ${quoted} ${leads} it to from where it stands (${where})`,
    );
  }
  return `${parts.join('; ')}.`;
}

/**
 * A run (upgrade, downgrade) or a stamp stopped because its `signal` was aborted (see
 * `RunOptions.signal`): the revisions in progress finished (or a failure was reported instead: a
 * {@link MigrationError} or {@link RunError} wins over this), no revision started after the
 * signal, and no bind was stamped after it. Nothing is half done: every bind stands at a revision
 * its version table records. Running the same command again goes on from there; but for targets
 * that count revisions from where each bind stands (`+2`, `tenant@-1`), which would step again
 * the binds that ran, the targets of {@link InterruptedError.retry} instead (the message says
 * which). `code` `'INTERRUPTED'`; `reason` is the signal's reason (the CLI aborts with `'SIGINT'`
 * or `'SIGTERM'`).
 * @example
 * ```ts
 * const controller = new AbortController();
 * process.once('SIGINT', () => controller.abort('SIGINT'));
 * try { await env.upgrade('+2', { signal: controller.signal }); }
 * catch (e) {
 *   if (e instanceof InterruptedError) {
 *     for (const [bind, heads] of e.heads) console.log(bind, heads.join(', ') || '<base>');
 *     // To go on with just what '+2' meant (['t2@7a7a7a7a7a03']); [] for absolute targets: the same command again.
 *     if (e.retry.length) console.log(`to go on: migrate upgrade ${e.retry.join(' ')}`);
 *   }
 * }
 * ```
 */
export class InterruptedError extends MultidbError {
  /** The reason the signal was aborted with (`AbortSignal.reason`). */
  readonly reason: unknown;
  /** The steps the run completed (committed), in plan order (a run of groups: group after group). `[]` for a stamp. */
  readonly completed: readonly StepResult[];
  /** The steps planned and not started, in plan order. */
  readonly pending: readonly SkippedStep[];
  /**
   * Where each bind the run locked and read stands after it: its version-table rows (`[]`: base),
   * in the order the run went through them. A stamp: the rows each bind has now (the new ones for
   * those it stamped). `JSON.stringify(error.heads)` writes an object, `{"db2":["3f2a9c1d7b40"]}`.
   */
  readonly heads: ReadonlyMap<string, readonly string[]>;
  /**
   * The binds the run did not get to (a group of binds not started, a bind not locked yet): nothing
   * was changed there. A group not started whose binds were connected (a run of 16 binds or fewer)
   * is read, without its lock, and its binds already at their targets are not named; but a server
   * bind (not a SQLite file) is not read once the signal stopped the run, so that one that does
   * not answer does not hold the run up: it is named.
   */
  readonly notStarted: readonly string[];
  /**
   * The run's targets that count revisions from where each bind stands (`'+2'`, `'tenant@-1'`), as
   * written, when the run completed steps and left some (see {@link retry}): running them again
   * would step again the binds that ran, whatever {@link retry} and {@link retryByHand} say. `[]`
   * otherwise (running the same command again finishes the run). Non-empty with both of those
   * empty: no command finishes the run (a downgrade of one line of a branch with several heads,
   * which `'<bind>@<revision>'` cannot say; the message's last line says so, and that `migrate
   * current` shows where each bind stands), which `retry` alone cannot tell from a run the same
   * command again finishes. As {@link RunError.relative}.
   */
  readonly relative: readonly string[];
  /**
   * A run of targets that count revisions from where each bind stands (`+2`, `tenant@-1`) that
   * completed steps and left some: running those targets again would step again the binds that
   * ran, so these are the targets to give the same command instead, to go on with just what they
   * meant (see {@link RunRetry.targets}); the message's last line says so (`running '+2' again
   * would step again the binds that ran; to finish just what it meant, run instead: migrate
   * upgrade t2@7a7a7a7a7a03.`). `[]` otherwise: running the same command again goes on.
   */
  readonly retry: readonly string[];
  /**
   * With {@link retry}: the binds the run never planned (nothing was read there: not reached)
   * whose targets follow one line of a forked branch (`fa@+1`), which no target scoped to one bind
   * says, so none of {@link retry}'s targets is theirs: once such a bind can be reached, give it
   * by hand the revision its `targets` lead it to from where it stands (`migrate current t3`, then
   * `migrate upgrade t3@<revision>`; see {@link RunRetry.byHand}); the message says so. A script
   * that runs {@link retry} alone leaves these short. In run order; `[]` when none.
   */
  readonly retryByHand: readonly RetryByHand[];
  /**
   * @param fields - see the fields of the same names; `retry`: how to go on when the run's
   *   targets count revisions from where each bind stands (see {@link retry}), said only when
   *   the run left something.
   */
  constructor(fields: {
    reason?: unknown;
    completed?: readonly StepResult[];
    pending?: readonly SkippedStep[];
    heads?: ReadonlyMap<string, readonly string[]>;
    notStarted?: readonly string[];
    retry?: RunRetry;
  }) {
    const completed = fields.completed ?? [];
    const pending = fields.pending ?? [];
    const notStarted = fields.notStarted ?? [];
    const revisions = (n: number) => `${n} revision${n === 1 ? '' : 's'}`;
    // Asked to stop during the last revision(s): nothing was left to run.
    const left = pending.length > 0 || notStarted.length > 0;
    // Relative targets (`+2`) run again would step again the binds that ran: what to run instead.
    const retry = left && fields.retry?.relative.length ? fields.retry : undefined;
    super(
      `Interrupted: stopped after ${revisions(completed.length)}` +
        (pending.length ? `; not run: ${listSome(pending.map((s) => `[${s.bind}] ${s.revision}`))}` : '') +
        (notStarted.length ? `; not started: ${listSome(notStarted)}` : '') +
        (retry
          ? `. Every bind is at a revision its version table records.\n  ${relativeRetryNote(retry, 'signal')}`
          : left
          ? '. Every bind is at a revision its version table records; run the same command again to go on.'
          : '; nothing was left to run: every bind is at its target.'),
      'INTERRUPTED',
    );
    this.reason = fields.reason;
    this.completed = Object.freeze([...completed]);
    this.pending = Object.freeze(pending.map((s) => Object.freeze({ bind: s.bind, revision: s.revision })));
    this.heads = headsMap(fields.heads ?? []);
    this.notStarted = Object.freeze([...notStarted]);
    this.relative = Object.freeze([...(retry?.relative ?? [])]);
    this.retry = Object.freeze([...(retry?.targets ?? [])]);
    this.retryByHand = frozenByHand(retry?.byHand);
  }
}

/**
 * An op the dialect cannot perform (e.g. AUTOINCREMENT on a SQLite column that is not the integer
 * primary key, a deferrable foreign key on MySQL, `recreate: 'never'` when SQLite needs a rebuild).
 * `code` `'UNSUPPORTED_OPERATION'`; the message reads `<dialect> cannot <operation> natively.` and
 * says what to do instead.
 * @example
 * ```ts
 * try { dialect.compile({ kind: 'CreateIndex', table: 'Track', index: { name: 'ix', columns: ['Name'], unique: false, where: '"Name" IS NOT NULL' } }, ctx); }
 * catch (e) { if (e instanceof UnsupportedOperationError) console.error(e.dialect, e.operation); }
 * ```
 */
export class UnsupportedOperationError extends MultidbError {
  /** The dialect's name (`'sqlite'`, `'postgres'`, `'mysql'`). */
  readonly dialect: string;
  /** What it cannot do, phrased to follow "cannot" (`'make "id" AUTOINCREMENT'`). */
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

/**
 * The migration lock of a bind was not acquired within the allowed time (`lockTimeoutMs`,
 * `--lock-timeout`): another run holds it (an upgrade, downgrade, stamp or resolve, of another
 * process or environment). `code` `'LOCK_TIMEOUT'`. Nothing ran on that bind; run again once the
 * other run is done. Where the dialect can tell who holds it (a Galera cluster's lease; the
 * server session holding a PostgreSQL or MySQL/MariaDB lock), the message names the holder
 * ({@link formatLockHolder}), as {@link LockTimeoutError.holder} does. The other binds of its
 * group (linked by depends-on: locked and run together), which did not run either, are in
 * {@link LockTimeoutError.notRun}. In a run of independent groups one after the other (no
 * `concurrency`), the groups before it ran: their steps are in
 * {@link LockTimeoutError.completed}, and the binds of the groups after it, not run, in
 * {@link LockTimeoutError.notRun} too; the message names both. `'--concurrency N' goes on past a
 * bind whose lock is held` (said when binds of other groups were not run) is, from code,
 * `RunOptions.concurrency` N > 1 or `keepGoing: true`.
 * @example
 * ```ts
 * try { await env.upgrade([], { lockTimeoutMs: 30_000 }); }
 * catch (e) {
 *   if (e instanceof LockTimeoutError) console.error(`[${e.bind}] waited ${e.waitedMs} ms; held by ${e.holder?.holder ?? 'another run'}; ${e.completed.length} revision(s) ran before; not run: ${e.notRun.join(', ')}`);
 * }
 * ```
 */
export class LockTimeoutError extends MultidbError {
  /** The bind whose lock is held by someone else. */
  readonly bind: string;
  /** How long we waited, in milliseconds. */
  readonly waitedMs: number;
  /**
   * The other binds the run did not run because it stopped here: first those of this bind's
   * group (binds linked by depends-on, locked and run together: with or without `concurrency`)
   * that had steps to run, then, in a run one group after the other (no `concurrency`), those of
   * the groups after it that had, in run order. `[]` when none, or outside a run.
   */
  readonly notRun: readonly string[];
  /** The binds of {@link notRun} in this bind's own group, which `concurrency` would not run either. */
  readonly #linked: readonly string[];
  /**
   * The steps the run completed (committed, so recorded in their version tables) before it
   * stopped here: those of the groups that ran before, in a run of independent groups one after
   * the other (no `concurrency`), in plan order. `[]` when none completed, or outside such a run.
   */
  readonly completed: readonly StepResult[];
  /**
   * The run's targets that count revisions from where each bind stands (`'+2'`, `'tenant@-1'`), as
   * written, when a run of groups one after the other (no `concurrency`) completed steps before it
   * stopped here (see {@link retry}): running them again would step again the binds that ran,
   * whatever {@link retry} and {@link retryByHand} say. `[]` otherwise (running the same command
   * again finishes the run). Non-empty with both of those empty: no command finishes the run (a
   * downgrade of one line of a branch with several heads, which `'<bind>@<revision>'` cannot say;
   * the message's last line says so, and that `migrate current` shows where each bind stands),
   * which `retry` alone cannot tell from a run the same command again finishes. As {@link
   * RunError.relative}.
   */
  readonly relative: readonly string[];
  /**
   * Such a run of targets that count revisions from where each bind stands (`+2`, `tenant@-1`),
   * when it completed steps: running those targets again would step again the binds that ran, so
   * these are the targets to give the same command instead (see {@link RunRetry.targets}); the
   * message's last line says so. `[]` otherwise (running the same command again finishes the run).
   */
  readonly retry: readonly string[];
  /**
   * With {@link retry}: the binds the run never planned (nothing was read there: not reached)
   * whose targets follow one line of a forked branch (`fa@+1`), which no target scoped to one bind
   * says, so none of {@link retry}'s targets is theirs: once such a bind can be reached, give it
   * by hand the revision its `targets` lead it to from where it stands (`migrate current t3`, then
   * `migrate upgrade t3@<revision>`; see {@link RunRetry.byHand}); the message says so. A script
   * that runs {@link retry} alone leaves these short. In run order; `[]` when none.
   */
  readonly retryByHand: readonly RetryByHand[];
  /**
   * Who holds the lock, where the bind's dialect can tell, as `MigrationEnvironment.lockHolders`
   * reads it once the wait timed out: a Galera cluster's lease; the server session holding a
   * PostgreSQL advisory lock or a MySQL/MariaDB `GET_LOCK` (its pid or connection id, user,
   * client address…: {@link LockHolder.session}). Absent for SQLite, when the lock was freed
   * meanwhile, and when the look-up failed (a role that may not read `pg_locks`).
   */
  readonly holder?: LockHolder;
  /**
   * @param bind - the bind whose lock was not free.
   * @param waitedMs - how long the wait lasted.
   * @param options - `notRun`: the binds the run left because it stopped here; `linked`: those of
   *   them in this bind's group (linked by depends-on), for which the message does not say that
   *   `--concurrency N` goes on (default: the `cause`'s, when it is a LockTimeoutError; `[]`);
   *   `completed`: the steps it completed before (the message names both: how many revisions, on
   *   which binds); `holder`: who holds the lock, when known (default: the `cause`'s, when it is
   *   a LockTimeoutError); `cause`: the timeout as first raised; `retry`: how to finish the run
   *   when its targets count revisions from where each bind stands (see {@link retry}).
   */
  constructor(
    bind: string,
    waitedMs: number,
    options: { readonly notRun?: readonly string[]; readonly linked?: readonly string[]; readonly completed?: readonly StepResult[]; readonly holder?: LockHolder; readonly cause?: unknown; readonly retry?: RunRetry } = {},
  ) {
    // Under a second (a `lockTimeoutMs` from code), in milliseconds: '1 s' for 500 ms, '0 s' for 200, misled.
    // Judged on the rounded milliseconds: a wait of 999.7 ms (a 1 s timeout, timers' precision) is '1 s', not '1000 ms'.
    const ms = Math.round(waitedMs);
    const waited = ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
    const notRun = options.notRun ?? [];
    const completed = options.completed ?? [];
    const ran = [...new Set(completed.map((s) => s.bind))];
    const before = completed.length ? `; completed before it: ${completed.length} revision${completed.length === 1 ? '' : 's'} on ${listSome(ran)}` : '';
    const retry = options.retry?.relative.length ? options.retry : undefined;
    const holder = options.holder ?? (options.cause instanceof LockTimeoutError ? options.cause.holder : undefined);
    const linked = options.linked ?? (options.cause instanceof LockTimeoutError ? options.cause.#linked : []);
    // Only binds of other groups would run with --concurrency: those linked to this one wait for it.
    const goesOn = notRun.some((b) => !linked.includes(b)) ? `; '--concurrency N' goes on past a bind whose lock is held` : '';
    super(
      `Timed out after ${waited} waiting for the migration lock on ${bind}: another run holds it${holder ? ` (${formatLockHolder(holder)})` : ''}.` +
        (notRun.length
          ? ` Nothing ran on ${bind}${before}; not run (the run stopped here): ${listSome(notRun)}${goesOn}.`
          : completed.length
          ? ` Nothing ran on ${bind}${before}.`
          : '') +
        (retry ? `\n  ${relativeRetryNote(retry)}` : ''),
      'LOCK_TIMEOUT',
      ...(options.cause !== undefined ? [{ cause: options.cause }] : []),
    );
    this.bind = bind;
    this.waitedMs = waitedMs;
    this.notRun = Object.freeze([...notRun]);
    this.#linked = Object.freeze(linked.filter((b) => notRun.includes(b)));
    this.completed = Object.freeze([...completed]);
    this.relative = Object.freeze([...(retry?.relative ?? [])]);
    this.retry = Object.freeze([...(retry?.targets ?? [])]);
    this.retryByHand = frozenByHand(retry?.byHand);
    if (holder) this.holder = holder;
  }
}

/**
 * A value given to an op (column type, name, argument) that is invalid, or an op that cannot
 * compile as given. `code` `'OPERATION'` unless a subclass sets its own. The `op` facade throws it
 * before anything runs.
 * @example
 * ```ts
 * try { parseColumnType('varchar(3'); }
 * catch (e) { if (e instanceof OperationError) console.error(e.message); } // Invalid column type 'varchar(3': …
 * ```
 */
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
 * An op that the bind's dialect cannot run inside a transaction block (PostgreSQL's `CREATE INDEX
 * CONCURRENTLY` and `DROP INDEX CONCURRENTLY`: `op.createIndex(…, { concurrently: true })`) was
 * called in a revision that runs in a transaction. Thrown before anything of the op is sent;
 * online the revision is then rolled back (the runner reports it in a {@link MigrationError} whose
 * `cause` this is), offline (`--sql`) no script is written. The message names the op, the bind
 * and the revision, and says to `export const transaction = false;` from the revision. `code`
 * `'NON_TRANSACTIONAL_OP'`.
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof MigrationError && e.cause instanceof NonTransactionalOpError) console.error(e.cause.bind, e.cause.revision, e.cause.op); }
 * ```
 */
export class NonTransactionalOpError extends OperationError {
  /** The bind the revision runs on. */
  readonly bind: string;
  /** The revision that called the op. */
  readonly revision: string;
  /** The op as the revision called it, e.g. `op.createIndex('ix_Invoice_CustomerId', on 'Invoice', { concurrently: true })`. */
  readonly op: string;
  /** Why the dialect cannot run it in a transaction, as the dialect says it. */
  readonly reason: string;
  constructor(fields: { bind: string; revision: string; op: string; reason: string; file?: string }) {
    super(
      `${fields.op} cannot run inside a transaction (${fields.reason}), and revision ${fields.revision} of bind '${fields.bind}' runs in one. ` +
        `Add \`export const transaction = false;\` to the revision${fields.file ? ` (${fields.file})` : ''}: its ops then run outside a transaction, each committed as it completes ` +
        '(keep such a revision to these ops: one that fails part way leaves the ops before it applied). Nothing of this op was sent.',
      'NON_TRANSACTIONAL_OP',
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.op = fields.op;
    this.reason = fields.reason;
  }
}

/** A name an op gives the database that is longer than the dialect keeps (see {@link IdentifierTooLongError}). */
export interface IdentifierOverLimit {
  /** What it names, e.g. `table 'Invoice'`, `column 'Currency' of table 'Invoice'`, `foreign key 'fk_…' of table 'Invoice'`. */
  readonly what: string;
  /** The name as the revision gives it. */
  readonly name: string;
  /** Its length in the limit's unit (UTF-8 bytes on PostgreSQL, characters on MySQL/MariaDB). */
  readonly length: number;
}

/** Two different names of one op that a truncating database would cut to the same name (see {@link IdentifierTooLongError.collision}). */
export interface IdentifierCollision {
  /** The first name, as {@link IdentifierOverLimit.what} describes it (`index 'ix_…' of table 'Invoice'`). */
  readonly first: string;
  /** The second name, described the same way. */
  readonly second: string;
  /** The name the database would give both. */
  readonly kept: string;
}

/**
 * An op of a revision creates an index the bind's database cannot have (`Dialect.unsupportedIndex`:
 * MariaDB has no expression (functional) index keys, which MySQL 8.0.13+ has). Thrown before
 * anything of the op is sent; online the revision is then rolled back where the dialect can (the
 * runner reports it in a {@link MigrationError} whose `cause` this is), offline (`--sql`) no
 * script is written. The message names the op, the table, the index, why (the dialect's reason,
 * with what to do instead), the bind, the revision and its file. `code` `'UNSUPPORTED_INDEX'`.
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof MigrationError && e.cause instanceof UnsupportedIndexError) console.error(e.cause.bind, e.cause.table, e.cause.index, e.cause.reason); }
 * ```
 */
export class UnsupportedIndexError extends OperationError {
  /** The bind the revision runs on. */
  readonly bind: string;
  /** The revision that called the op. */
  readonly revision: string;
  /** The revision's file, when known. */
  readonly file: string | undefined;
  /** The op as the revision called it, e.g. `op.createIndex('person', 'ix_person_email')`. */
  readonly op: string;
  /** The indexed table. */
  readonly table: string;
  /** The index's name. */
  readonly index: string;
  /** Why the database cannot have it, as the dialect says (`'MariaDB has no expression (functional) indexes (MySQL 8.0.13+ has): …'`). */
  readonly reason: string;
  constructor(fields: { bind: string; revision: string; file?: string; op: string; table: string; index: string; reason: string }) {
    super(
      `${fields.op} creates the index '${fields.index}' on '${fields.table}', which bind '${fields.bind}' cannot have: ${fields.reason} ` +
        `Nothing of this op was sent or written. Change it in revision ${fields.revision} of bind '${fields.bind}'${fields.file ? ` (${fields.file})` : ''}.`,
      'UNSUPPORTED_INDEX',
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.file = fields.file;
    this.op = fields.op;
    this.table = fields.table;
    this.index = fields.index;
    this.reason = fields.reason;
  }
}

/**
 * An op of a revision gives the database a name (of a table, column, index, constraint, schema,
 * enum type) longer than the bind's dialect keeps (`DialectCapabilities.identifierLimit`) where
 * that cannot be run as written:
 * - on a dialect that refuses a longer name (`longer: 'refused'`: MySQL/MariaDB, more than 64
 *   characters), always: the server would refuse it in the middle of a revision whose DDL before
 *   it is committed;
 * - on a dialect that truncates it (`longer: 'truncated'`: PostgreSQL, 63 bytes), only when two
 *   different names of the op would be cut to the same one ({@link collision}: two indexes or
 *   constraints of one `createTable`, two columns, a rename to a name that only differs past the
 *   limit), which the server would refuse or merge. A single long name is run as written, as
 *   PostgreSQL (and Alembic) would, with a warning (see `checkIdentifierLimit`), so that an
 *   existing history replays.
 *
 * Thrown before anything of the op is sent; online the revision is then rolled back where the
 * dialect can (the runner reports it in a {@link MigrationError} whose `cause` this is), offline
 * (`--sql`) no script is written. The message names the op, each name with its length, the limit
 * (and the colliding names with the name they would share), the bind, the revision and its file,
 * and says to shorten the name (a constraint or index may leave its name out: the naming
 * convention's names are cut to fit). `code` `'IDENTIFIER_TOO_LONG'`.
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof MigrationError && e.cause instanceof IdentifierTooLongError) console.error(e.cause.identifier, e.cause.length, e.cause.max, e.cause.unit, e.cause.collision?.kept); }
 * ```
 */
export class IdentifierTooLongError extends OperationError {
  /** The bind the revision runs on. */
  readonly bind: string;
  /** The revision that called the op. */
  readonly revision: string;
  /** The revision's file, when known. */
  readonly file: string | undefined;
  /** The op as the revision called it, e.g. `op.createTable('Invoice')`. */
  readonly op: string;
  /** The dialect's name (`'postgres'`, `'mysql'`). */
  readonly dialect: string;
  /** The first name over the limit (see {@link identifiers} for all of them). */
  readonly identifier: string;
  /** Its length, in {@link unit}. */
  readonly length: number;
  /** The most bytes or characters the dialect keeps of a name. */
  readonly max: number;
  /** What {@link max} and {@link length} count: UTF-8 `'bytes'` (PostgreSQL) or `'characters'` (MySQL/MariaDB). */
  readonly unit: IdentifierLimit['unit'];
  /** Every name of the op over the limit, in the op's order. */
  readonly identifiers: readonly IdentifierOverLimit[];
  /** On a dialect that truncates a longer name: the two names of the op it would cut to the same one. */
  readonly collision: IdentifierCollision | undefined;
  constructor(fields: {
    bind: string;
    revision: string;
    file?: string;
    op: string;
    dialect: string;
    limit: IdentifierLimit;
    identifiers: readonly IdentifierOverLimit[];
    collision?: IdentifierCollision;
  }) {
    const { limit, identifiers, collision } = fields;
    const one = identifiers.length === 1;
    const cut = limit.longer === 'truncated';
    const list = identifiers.map((i) => `${i.what} (${i.length} ${limit.unit}${cut ? `; the database would keep '${identifierPrefix(i.name, limit)}'` : ''})`).join(', ');
    const where = `revision ${fields.revision} of bind '${fields.bind}'${fields.file ? ` (${fields.file})` : ''}`;
    super(
      collision
        ? `${fields.op} names ${collision.first} and ${collision.second}, which ${fields.dialect} would both cut to '${collision.kept}' ` +
            `(it keeps at most ${limit.max} ${limit.unit} of a name): two objects under one name, which the database would refuse or merge. ` +
            `Nothing of this op was sent or written. Shorten one of them in ${where} ` +
            'so that they differ within the limit (a constraint or index may leave its name out: the naming convention cuts its names to fit).'
        : `${fields.op} names ${one ? '' : `${identifiers.length} identifiers longer than ${fields.dialect} keeps a name (at most ${limit.max} ${limit.unit}): `}${list}` +
            `${one ? `, longer than ${fields.dialect} keeps a name (at most ${limit.max} ${limit.unit})` : ''}. ` +
            (cut
              ? `The database would cut ${one ? 'it' : 'them'} short without a word, so the object would not have the name the revision gives it (and a drop or rename could reach another object whose name starts the same). `
              : 'The database refuses a longer name. ') +
            `Nothing of this op was sent or written. Shorten ${one ? 'it' : 'them'} in ${where}: ` +
            'give a constraint or index a shorter name, or leave its name out (the naming convention cuts its names to fit).',
      'IDENTIFIER_TOO_LONG',
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.file = fields.file;
    this.op = fields.op;
    this.dialect = fields.dialect;
    this.identifier = identifiers[0]!.name;
    this.length = identifiers[0]!.length;
    this.max = limit.max;
    this.unit = limit.unit;
    this.identifiers = Object.freeze([...identifiers]);
    this.collision = collision;
  }
}

/**
 * A revision that runs outside the runner's transaction (`export const transaction = false`, and
 * every revision on MySQL/MariaDB) returned with a transaction of its own still open: it began one
 * (`op.db.startTransaction()`, a BEGIN through `op.execute` or `sql\`begin\``) and neither
 * committed nor rolled it back. That transaction was rolled back and the revision is not recorded
 * as applied: a run must not commit what the revision left undecided (the version-table write
 * would commit it), nor leave the bind's session in it. The step fails with a
 * {@link MigrationError} whose `cause` this is. `code` `'TRANSACTION_LEFT_OPEN'`.
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof MigrationError && e.cause instanceof TransactionLeftOpenError) console.error(e.cause.bind, e.cause.revision); }
 * ```
 */
export class TransactionLeftOpenError extends MultidbError {
  /** The bind the revision ran on. */
  readonly bind: string;
  /** The revision that left its transaction open. */
  readonly revision: string;
  /** The revision's file, when known. */
  readonly file: string | undefined;
  constructor(fields: { bind: string; revision: string; file?: string }) {
    super(
      `revision ${fields.revision} of bind '${fields.bind}' returned with a transaction of its own still open (begun with op.db.startTransaction() or a BEGIN it sent, ` +
        'and neither committed nor rolled back): it was rolled back, and the revision is not recorded as applied. ' +
        "End the revision's transaction before it returns: `await trx.commit().execute()`, a COMMIT, or op.db.transaction().execute(…), which ends it.",
      'TRANSACTION_LEFT_OPEN',
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.file = fields.file;
  }
}

/** One place a models module declares a named enum: where, and with which members. */
export interface EnumDeclaration {
  /** Where: `"the models' enums"` or `"column 'account.status'"`. */
  readonly source: string;
  /** The members it declares, in order. */
  readonly values: readonly string[];
}

/**
 * A models module declares the same PostgreSQL enum type twice with different members: in its
 * `enums` and in a column's `enumType(name, values)`, or in two columns' `enumType`. A named enum
 * is one type in the database, so autogenerate cannot tell which members it should have. The
 * message names the enum, both places and both member lists. `code` `'ENUM_CONFLICT'`.
 *
 * @example
 * ```ts
 * try { resolveModels(models, { dialect: 'postgres', namingConvention, namedEnums: true }); }
 * catch (e) { if (e instanceof EnumConflictError) console.error(e.enumName, e.first.source, e.second.source); }
 * ```
 */
export class EnumConflictError extends OperationError {
  /** The enum type's name. */
  readonly enumName: string;
  /** Its schema, when declared with one. */
  readonly schema: string | undefined;
  /** The declaration met first (the models' `enums`, else the first column in model order). */
  readonly first: EnumDeclaration;
  /** The declaration that disagrees with it. */
  readonly second: EnumDeclaration;
  constructor(enumName: string, schema: string | undefined, first: EnumDeclaration, second: EnumDeclaration) {
    const label = schema === undefined ? enumName : `${schema}.${enumName}`;
    const list = (d: EnumDeclaration) => `${d.source} (${d.values.map((v) => `'${v}'`).join(', ')})`;
    super(
      `Enum '${label}' is declared twice with different members: by ${list(first)} and by ${list(second)}. ` +
        `Declare it once in defineModels({ enums: [{ name: '${enumName}', values: [...] }] }) and give its columns type: '${enumName}', ` +
        `or give every enumType('${enumName}', ...) the same members in the same order.`,
      'ENUM_CONFLICT',
    );
    this.enumName = enumName;
    this.schema = schema;
    this.first = first;
    this.second = second;
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
  /** The bind the script is for. */
  readonly bind: string;
  /** The revision that cannot be written offline. */
  readonly revision: string;
  /** The revision's file, when known. */
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
  /** The bind whose database failed. */
  readonly bind: string;
  /**
   * What was being done: connecting, identifying the database, locking, or reading, creating or
   * writing the version table.
   */
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

/**
 * Binds of a run that connects its binds before running anything (one after the other, without
 * `concurrency`) could not be connected or identified: every bind was tried, and each one that
 * failed is in {@link UnreachableBindsError.unreachable}, so one attempt names them all. A
 * {@link BindError} about the first of them (its `bind`, `action`, `location` and `code`); the
 * message has one line per bind, then, when the run had other binds, a line naming them
 * ({@link UnreachableBindsError.notRun}): the run stopped before anything ran on them (with more
 * than 16 binds in independent groups, at the group that met them: the groups before it ran, their
 * steps are in {@link UnreachableBindsError.completed}). Thrown for one unreachable bind too when
 * the run had others to name; a run of that one bind throws its plain {@link BindError}. A stamp
 * (`stamp`) connects its binds before it writes any version table, so its message says that
 * nothing was stamped and names the binds not stamped; a stamp of more than 16 binds connects a
 * few at a time to write them, and a bind it could reach when it checked them all but not at its
 * write stops it there: the message then names the binds stamped before it
 * ({@link UnreachableBindsError.stamped}) and those not stamped. From code, `'--concurrency N'
 * goes on past an unreachable bind` (an upgrade's) is `RunOptions.concurrency` N > 1 or
 * `keepGoing: true`: the other binds run, and the run then throws a {@link RunError} whose
 * `unreachable` names it.
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) {
 *   if (e instanceof UnreachableBindsError) {
 *     for (const u of e.unreachable) console.error(u.message);
 *     console.error(`not run: ${e.notRun.join(', ')}`);
 *   }
 * }
 * ```
 */
export class UnreachableBindsError extends BindError {
  /** Every bind that could not be connected (or identified), in sorted order of bind; at least one. */
  readonly unreachable: readonly BindError[];
  /**
   * The run's other binds, which it did not run because it stopped here, in the run's order
   * (`[]` when none were named, e.g. an error made outside a run; an upgrade or downgrade of
   * independent binds leaves out those it read at their targets already); for a stamp, the binds
   * it did not stamp (none was).
   */
  readonly notRun: readonly string[];
  /**
   * The steps the run completed before it stopped here (committed, so recorded in their version
   * tables): those of the groups that ran before, in a run of more than 16 binds; `[]` when
   * nothing ran.
   */
  readonly completed: readonly StepResult[];
  /**
   * True when the run met the bind at its group's turn (a run of more than 16 binds connects each
   * group at its turn): it stopped there, after the groups before it, whether they ran steps or
   * were at their target already; the message then says `not run (the run stopped here)`. False
   * when it met it before its first step (`nothing ran`).
   */
  readonly atGroup: boolean;
  /** True when the binds are a stamp's (`notRun`: the binds not stamped). */
  readonly stamp: boolean;
  /**
   * For a stamp, the binds whose version tables it wrote before it met these (a stamp of more
   * than 16 binds, which writes a few binds at a time: see `MigrationEnvironment.stamp`), in the
   * stamp's order; `[]` when nothing was stamped.
   */
  readonly stamped: readonly string[];
  /**
   * The run's targets that count revisions from where each bind stands (`'+2'`, `'tenant@-1'`), as
   * written, when the run met these binds at a group's turn after the groups before it completed
   * steps (see {@link retry}; never for a stamp): running them again would step again the binds
   * that ran, whatever {@link retry} and {@link retryByHand} say. `[]` otherwise (running the same
   * command again finishes the run). Non-empty with both of those empty: no command finishes the
   * run (a downgrade of one line of a branch with several heads, which `'<bind>@<revision>'` cannot
   * say; the message's last line says so, and that `migrate current` shows where each bind stands),
   * which `retry` alone cannot tell from a run the same command again finishes. As {@link
   * RunError.relative}.
   */
  readonly relative: readonly string[];
  /**
   * A run met at a group's turn (see {@link atGroup}) of targets that count revisions from where
   * each bind stands (`+2`, `tenant@-1`), after the groups before it completed steps: running
   * those targets again would step again the binds that ran, so these are the targets to give the
   * same command instead (see {@link RunRetry.targets}); the message's last line says so. `[]`
   * otherwise (running the same command again finishes the run).
   */
  readonly retry: readonly string[];
  /**
   * With {@link retry}: the binds the run never planned (nothing was read there: not reached)
   * whose targets follow one line of a forked branch (`fa@+1`), which no target scoped to one bind
   * says, so none of {@link retry}'s targets is theirs: once such a bind can be reached, give it
   * by hand the revision its `targets` lead it to from where it stands (`migrate current t3`, then
   * `migrate upgrade t3@<revision>`; see {@link RunRetry.byHand}); the message says so. A script
   * that runs {@link retry} alone leaves these short. In run order; `[]` when none.
   */
  readonly retryByHand: readonly RetryByHand[];
  /**
   * @param unreachable - the {@link BindError} of each bind that could not be connected or identified (at least one).
   * @param run - `notRun`: the run's other binds, not run because it stopped here (the message
   *   names them); `completed`: the steps it completed before; `direction`: `'up'` for an
   *   upgrade, whose message then says that `--concurrency N` goes on past an unreachable bind
   *   (a downgrade does not: it must read every bind); `stamp`: the binds are a stamp's, the
   *   message then says nothing was stamped and names `notRun` as not stamped; `atGroup`: the run
   *   met the bind at its group's turn (a run of more than 16 binds connects each group at its
   *   turn), so the message says the run stopped there rather than that it connects every bind
   *   before its first step, whether the groups before it ran steps or were at their target already;
   *   `stamped` (with `stamp`): the binds stamped before the stamp met these, named by the message;
   *   `retry`: how to finish the run when its targets count revisions from where each bind stands
   *   (see {@link UnreachableBindsError.retry}).
   */
  constructor(
    unreachable: readonly BindError[],
    run: {
      readonly notRun?: readonly string[];
      readonly completed?: readonly StepResult[];
      readonly direction?: 'up' | 'down';
      readonly stamp?: boolean;
      readonly stamped?: readonly string[];
      readonly atGroup?: boolean;
      readonly retry?: RunRetry;
    } = {},
  ) {
    const sorted = [...unreachable].sort((a, b) => (a.bind < b.bind ? -1 : a.bind > b.bind ? 1 : 0));
    const first = sorted[0]!;
    super({ bind: first.bind, action: first.action, ...(first.location !== undefined ? { location: first.location } : {}), doing: '', reason: '' }, { cause: first, code: first.code });
    const notRun = run.notRun ?? [];
    const completed = run.completed ?? [];
    // Only an upgrade goes on past an unreachable bind (a downgrade must read every bind).
    const up = run.direction === 'up';
    const goOn = up ? ` '--concurrency N' goes on past an unreachable bind.` : '';
    const atGroup = completed.length > 0 || run.atGroup === true;
    const retry = !run.stamp && run.retry?.relative.length ? run.retry : undefined;
    this.message =
      sorted.map((e) => e.message).join('\n') +
      (run.stamp && run.stamped?.length
        ? `\n  the stamp stopped here (every bind could be reached when it checked them all; it then writes a few at a time): stamped: ${listSome(run.stamped)}; not stamped: ${notRun.length ? listSome(notRun) : 'none other'}.`
        : notRun.length === 0
        ? ''
        : run.stamp
        ? `\n  nothing stamped: a stamp connects every bind before it writes any version table; not stamped: ${listSome(notRun)}.`
        : !atGroup
        ? `\n  nothing ran: ${up ? 'without --concurrency an upgrade' : 'a run'} connects every bind before its first step; not run: ${listSome(notRun)}.${goOn}`
        : `\n  not run (the run stopped here): ${listSome(notRun)}.${goOn}`) +
      (retry ? `\n  ${relativeRetryNote(retry)}` : '');
    this.unreachable = Object.freeze(sorted);
    this.notRun = Object.freeze([...notRun]);
    this.completed = Object.freeze([...completed]);
    this.atGroup = atGroup;
    this.stamp = run.stamp === true;
    this.stamped = Object.freeze([...(run.stamped ?? [])]);
    this.relative = Object.freeze([...(retry?.relative ?? [])]);
    this.retry = Object.freeze([...(retry?.targets ?? [])]);
    this.retryByHand = frozenByHand(retry?.byHand);
  }
}

/**
 * Two binds point at the same physical database (same server identity, database and version table;
 * for SQLite the same real path), which would make them share one version table. `code`
 * `'DUPLICATE_DATABASE'`.
 * @example
 * ```ts
 * try { await env.connectAll(env.bindNames); }
 * catch (e) { if (e instanceof DuplicateDatabaseError) console.error(`${e.binds.join(' and ')} share a database`); }
 * ```
 */
export class DuplicateDatabaseError extends MultidbError {
  /** The two binds, in config order. */
  readonly binds: readonly string[];
  constructor(binds: readonly string[], where: string) {
    super(`Binds ${binds.map((b) => `'${b}'`).join(' and ')} point at the same database (${where}); each bind needs its own.`, 'DUPLICATE_DATABASE');
    this.binds = binds;
  }
}

/**
 * A command of a {@link MigrationEnvironment} named a bind that another command of the same
 * environment is still writing to (an `upgrade`, `downgrade`, `stamp` or `resolve` in progress).
 * An environment keeps one connection per bind, and its migration lock is that connection's: a
 * second command on it would run inside the first one's transaction instead of waiting for the
 * lock. Nothing was done. Await the first command, or load a second environment for work at the
 * same time (its run then waits for the migration lock, as another process's would). (The other
 * way round, a writing command started while a read of the environment is in flight on the bind
 * is not refused: it waits for the read to end; see `MigrationEnvironment.reading`.) `code`
 * `'ENVIRONMENT_BUSY'`.
 * @example
 * ```ts
 * try { await commands.status(env); }
 * catch (e) { if (e instanceof EnvironmentBusyError) console.error(`${e.bind} is being upgraded`); }
 * ```
 */
export class EnvironmentBusyError extends MultidbError {
  /** The bind in use. */
  readonly bind: string;
  constructor(bind: string) {
    super(
      `[${bind}] is in use by another command of this environment (an upgrade, downgrade, stamp or resolve still in progress). ` +
        'An environment runs one command at a time on a bind, on its one connection: await that command first, or load a second environment (loadEnvironment) for work at the same time, whose run then waits for the migration lock.',
      'ENVIRONMENT_BUSY',
    );
    this.bind = bind;
  }
}

/**
 * A bind whose database takes no writes (a PostgreSQL hot standby, a SQLite file or folder this
 * process cannot write), named by a command that writes (`upgrade`, `downgrade`, `stamp`) before
 * it takes any lock. Read-only commands (`current`, `history`) still work there. `code` `'READ_ONLY'`.
 * @example
 * ```ts
 * try { await env.upgrade([]); }
 * catch (e) { if (e instanceof ReadOnlyBindError) console.error(`${e.bind}: point its URL at the primary`); }
 * ```
 */
export class ReadOnlyBindError extends MultidbError {
  /** The bind. */
  readonly bind: string;
  /** Why the database takes no writes (e.g. `a read-only standby (pg_is_in_recovery() is true)`). */
  readonly reason: string;
  /** What to do about it (default: `Point the bind's URL at the primary.`). */
  readonly remedy: string;
  constructor(bind: string, reason: string, remedy = "Point the bind's URL at the primary.") {
    super(`[${bind}] is ${reason}: commands that write (upgrade, downgrade, stamp) cannot run there. ${remedy}`, 'READ_ONLY');
    this.bind = bind;
    this.reason = reason;
    this.remedy = remedy;
  }
}

/**
 * A bind has a revision partly applied (a run on MySQL/MariaDB was killed or failed part way, see
 * `ProgressTable`), and a run asked for something else: a downgrade, another revision, the other
 * direction; or a `stamp` (without `purge`) asked to set its version table. Nothing was run or
 * written. The ways out: run the same step again, once what made it stop is fixed (it resumes
 * after the last completed write; the revision may change from the write that failed on), or
 * repair the database by hand and record the revision with `migrate resolve BIND --applied` or
 * `--not-applied`. `code` `'PARTLY_APPLIED'`. From code: resume with `commands.upgrade(env, e.bind)`
 * (`direction` `'up'`) or `commands.downgrade(env, e.bind + '@-1')` (`'down'`); record it with
 * `commands.resolve(env, e.bind, { applied: true })` (or `false`).
 * @example
 * ```ts
 * try { await env.downgrade('db2'); }
 * catch (e) { if (e instanceof PartlyAppliedError) console.error(e.revision, e.completed.join(', ')); }
 * ```
 */
export class PartlyAppliedError extends MultidbError {
  /** The bind. */
  readonly bind: string;
  /** The revision in flight. */
  readonly revision: string;
  /** `'up'` or `'down'`: the step in flight. */
  readonly direction: 'up' | 'down';
  /** The completed writes, described (`createTable t1`), in order. */
  readonly completed: readonly string[];
  constructor(fields: { bind: string; revision: string; direction: 'up' | 'down'; completed: readonly string[]; asked?: string }) {
    const verb = fields.direction === 'up' ? 'upgrade' : 'downgrade';
    const done = fields.completed.length
      ? `${fields.completed.length} write(s) completed: ${fields.completed.join('; ')}`
      : 'no write completed';
    super(
      `[${fields.bind}] revision ${fields.revision} is partly applied (its ${verb} stopped part way; ${done}).` +
        (fields.asked ? ` Refusing to ${fields.asked}.` : '') +
        // Run again as it is, a step that stopped on an error fails the same way: fix it first.
        ` If it stopped on an error, fix that first (the revision may change from the write that failed on, not before it);` +
        ` then resume it with 'migrate ${verb} ${fields.bind}${fields.direction === 'down' ? '@-1' : ''}', or repair the database by hand and record it with` +
        ` 'migrate resolve ${fields.bind} --applied' or 'migrate resolve ${fields.bind} --not-applied'.`,
      'PARTLY_APPLIED',
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.direction = fields.direction;
    this.completed = fields.completed;
  }
}

/**
 * A partly applied revision cannot be resumed: the revision changed before its last completed
 * write (an op or `op.db` write differs from the one recorded), it now sends fewer writes than
 * were applied, or the run was interrupted inside a write whose effect the database cannot show
 * (raw SQL in the window between a DDL statement and its recorded completion). Nothing more was
 * run. `code` `'RESUME_REFUSED'`. It is the `cause` of the run's {@link MigrationError}. From
 * code, `'migrate resolve db2 --applied'` (`--not-applied`) is
 * `commands.resolve(env, e.bind, { applied: true })` (`false`).
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof MigrationError && e.cause instanceof ResumeRefusedError) console.error(e.cause.lastApplied); }
 * ```
 */
export class ResumeRefusedError extends MultidbError {
  /** The bind. */
  readonly bind: string;
  /** The revision. */
  readonly revision: string;
  /** The last write recorded as completed, described; `undefined` when none was. */
  readonly lastApplied: string | undefined;
  /**
   * True when the revision is unchanged but the effect of a write the last run sent cannot be told
   * (raw SQL cut off between sending and its recorded completion): restoring the revision would
   * not help, only a look at the database can say (the message says what to do then).
   */
  readonly effectUnknown: boolean;
  constructor(fields: { bind: string; revision: string; lastApplied?: string; reason: string; effectUnknown?: boolean }) {
    const resolve = `'migrate resolve ${fields.bind} --applied'`;
    super(
      `[${fields.bind}] cannot resume revision ${fields.revision}: ${fields.reason}` +
        ` Last applied write: ${fields.lastApplied ?? '(none)'}.` +
        (fields.effectUnknown
          ? ` Check by hand whether that write took effect, then either finish the revision by hand and run ${resolve}, or undo what it applied and run 'migrate resolve ${fields.bind} --not-applied' (the same command then runs it again from its start).`
          : ` Restore the revision as it was (and the inputs it reads, such as environment variables and -x arguments), or repair the database by hand and run ${resolve} or '--not-applied'.`),
      'RESUME_REFUSED',
    );
    this.bind = fields.bind;
    this.revision = fields.revision;
    this.lastApplied = fields.lastApplied;
    this.effectUnknown = fields.effectUnknown ?? false;
  }
}

/**
 * `migrate resolve` found nothing to resolve (no revision in flight on the bind), or was given
 * neither or both of `applied` / `not applied`. `code` `'RESOLVE'`.
 * @example
 * ```ts
 * try { await env.resolve('db2', { applied: true }); }
 * catch (e) { if (e instanceof ResolveError) console.error(e.message); }
 * ```
 */
export class ResolveError extends MultidbError {
  /** The bind. */
  readonly bind: string;
  constructor(bind: string, message: string) {
    super(message, 'RESOLVE');
    this.bind = bind;
  }
}

/**
 * `migrate resolve` found the bind's version table holding neither the rows the step in flight
 * started from nor the rows it would record: the table was changed after the revision stopped (by
 * hand, or by a stamp of an earlier multidb, which did not refuse one), so what "applied" or "not
 * applied" means for it is no longer known. Nothing was written. `code` `'RESOLVE'`. From code,
 * the `'migrate stamp --purge …'` the message gives is
 * `commands.stamp(env, e.wanted.length ? e.wanted.map((r) => e.bind + '@' + r) : e.bind + '@base', { purge: true })`.
 * @example
 * ```ts
 * try { await env.resolve('db2', { applied: false }); }
 * catch (e) { if (e instanceof ResolveConflictError) console.error(`[${e.bind}] holds ${e.found.join(', ') || '<base>'}`); }
 * ```
 */
export class ResolveConflictError extends ResolveError {
  /** The revision in flight. */
  readonly revision: string;
  /** `'up'` or `'down'`: the step in flight. */
  readonly direction: 'up' | 'down';
  /** The version-table rows now, as read (`[]`: base). */
  readonly found: readonly string[];
  /** The rows the step started from. */
  readonly started: readonly string[];
  /** The rows resolve would have recorded. */
  readonly wanted: readonly string[];
  constructor(fields: {
    bind: string;
    revision: string;
    direction: 'up' | 'down';
    applied: boolean;
    found: readonly string[];
    started: readonly string[];
    wanted: readonly string[];
  }) {
    const targets = (heads: readonly string[]) => (heads.length ? heads.map((r) => `${fields.bind}@${r}`).join(' ') : `${fields.bind}@base`);
    const verb = fields.direction === 'up' ? 'upgrade' : 'downgrade';
    super(
      fields.bind,
      `[${fields.bind}] cannot resolve ${fields.revision} (${verb} in flight) as ${fields.applied ? 'applied' : 'not applied'}: the version table holds ${formatRevisions(fields.found)}, ` +
        `but the ${verb} started from ${formatRevisions(fields.started)} (the table was changed since the revision stopped); nothing was written. ` +
        `Check what the database holds, then set the version table and forget the revision in flight in one step with ` +
        `'migrate stamp --purge ${targets(fields.wanted)}' (what resolving would record), or with the targets that match the database.`,
    );
    this.revision = fields.revision;
    this.direction = fields.direction;
    this.found = fields.found;
    this.started = fields.started;
    this.wanted = fields.wanted;
  }
}

/**
 * A bind's database does not exist, and the connection was asked not to create it (a read-only
 * command such as `current` or `status` opening a SQLite bind whose file is missing). The bind is
 * then at base. `code` `'DATABASE_NOT_FOUND'`; the message reads
 * `[default] database file /srv/app/.data/default.db does not exist`.
 * @example
 * ```ts
 * try { await env.connection('default', { create: false }); }
 * catch (e) { if (e instanceof DatabaseNotFoundError) console.log(`${e.bind}: ${e.detail} (at base)`); }
 * ```
 */
export class DatabaseNotFoundError extends MultidbError {
  /** The bind whose database is missing. */
  readonly bind: string;
  /** Where it would be (a SQLite file's absolute path). */
  readonly location: string;
  /** What is missing, without the bind: `database file /srv/app/.data/default.db does not exist`. */
  readonly detail: string;
  /**
   * The physical database the bind reached, when it did (a server whose schema is missing), as
   * {@link DialectConnection.identity} names it: core still refuses two binds on one database.
   */
  readonly identity: string | undefined;
  /**
   * @param fields - `what`: the kind of thing missing, as the dialect names it (`'database file'`);
   *   `identity`: the physical database reached, if any.
   */
  constructor(fields: { bind: string; location: string; what: string; identity?: string }) {
    const detail = `${fields.what} ${fields.location} does not exist`;
    super(`[${fields.bind}] ${detail}`, 'DATABASE_NOT_FOUND');
    this.bind = fields.bind;
    this.location = fields.location;
    this.detail = detail;
    this.identity = fields.identity;
  }
}
