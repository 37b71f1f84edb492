import { ConfigError, mergeHeadsCommand, MultidbError, UnreachableBindsError, type BindError, type LoadedConfig } from '@multidb/core';
import type { DetectedChange } from '../compare/detected-change.js';

/**
 * Autogenerate was asked to compare a bind that is not at the head of its branch (Alembic's "Target
 * database is not up to date"): the comparison would describe revisions already written. `code`
 * `'NOT_UP_TO_DATE'`; the message says what to do: upgrade the bind, or, when its branch has
 * several heads (two developers' revisions from one head), merge them first (`migrate upgrade`
 * of the bind alone would refuse the several heads), or, when its version table names revisions
 * no script declares, that it does.
 * @example
 * ```ts
 * try { await autogenerate(env, { message: 'add user.dummy' }); }
 * catch (e) { if (e instanceof TargetNotUpToDateError) console.error(`[${e.bind}] at ${e.current.join(', ')}, head ${e.heads.join(', ')}`); }
 * ```
 */
export class TargetNotUpToDateError extends MultidbError {
  /** The bind that is behind (or ahead of) its branch's head. */
  readonly bind: string;
  /** The bind's version-table rows. */
  readonly current: readonly string[];
  /** The heads of its branch. */
  readonly heads: readonly string[];
  /** The rows of {@link current} that no revision script declares (`[]`: none). */
  readonly unknown: readonly string[];
  constructor(bind: string, current: readonly string[], heads: readonly string[], unknown: readonly string[] = []) {
    super(`[${bind}] Target database is not up to date: it is at ${current.join(', ') || '<base>'}, ${advice(bind, heads, unknown)}`, 'NOT_UP_TO_DATE');
    this.bind = bind;
    this.current = current;
    this.heads = heads;
    this.unknown = unknown;
  }
}

function advice(bind: string, heads: readonly string[], unknown: readonly string[]): string {
  if (unknown.length) {
    return (
      `which no revision script declares (${unknown.join(', ')}: a revision file removed, or stamped from another repository); its branch's head is ${heads.join(', ') || '<base>'}. ` +
      `Restore the revision, or stamp the bind to the revision its schema matches ('migrate stamp --purge ${bind}@<rev>').`
    );
  }
  if (heads.length > 1) {
    return (
      `and its branch has ${heads.length} heads (${heads.join(', ')}). ` +
      `Merge them first ('${mergeHeadsCommand(bind)}'), then run 'migrate upgrade ${bind}'.`
    );
  }
  return `its branch's head is ${heads.join(', ') || '<base>'}. Run 'migrate upgrade ${bind}' first.`;
}

/**
 * A bind's models module cannot be used: missing, not loading, not exporting `defineModels(…)`, or
 * (Drizzle tables) drizzle-orm missing, no table exported, tables of another dialect than the bind's. A {@link ConfigError} (`code` `'CONFIG'`) whose `file`
 * is the models module.
 * @example
 * ```ts
 * try { await loadModels(env, 'db2'); }
 * catch (e) { if (e instanceof ModelsError) console.error(`[${e.bind}] ${e.file}: ${e.message}`); }
 * ```
 */
export class ModelsError extends ConfigError {
  /** The bind whose `models` setting names the module. */
  readonly bind: string;
  constructor(bind: string, file: string, why: string, options?: { cause?: unknown }) {
    super(`[${bind}] models ${file}: ${why}`, file, options);
    this.bind = bind;
  }
}

/**
 * `check` or autogenerate (`migrate migrate`) was asked about binds none of which has models
 * (`binds.<name>.models`), so it would compare nothing and pass (Alembic's `check` and
 * `--autogenerate` fail without `target_metadata` too). A
 * {@link ConfigError} (`code` `'CONFIG'`, the CLI's exit 1) whose `file` is the config file (undefined
 * for a config object); the message names the binds and says how to give one its models.
 * @example
 * ```ts
 * try { await check(env, ['default']); }
 * catch (e) { if (e instanceof NoModelsError) console.error(`no models for ${e.binds.join(', ')}`); }
 * ```
 */
export class NoModelsError extends ConfigError {
  /** The binds asked about, none of which has models. */
  readonly binds: readonly string[];
  /**
   * @param binds - the binds asked about (at least one).
   * @param config - where `models` is set: the config file's path, or the environment's
   *   `loaded` config (`env.loaded`: a config object has no file, and the message names its
   *   `source`; `file` is then undefined).
   * @param command - the command refused (`'check'` or `'autogenerate'`), named in the message.
   */
  constructor(binds: readonly string[], config: string | Pick<LoadedConfig, 'path' | 'source'>, command: 'check' | 'autogenerate' = 'check') {
    const { path, source } = typeof config === 'string' ? { path: config, source: config } : config;
    const one = binds[0] ?? 'default';
    const names = binds.length <= 10 ? binds.join(', ') : `${binds.slice(0, 10).join(', ')} and ${binds.length - 10} more`;
    super(
      `Nothing to ${command}: ${binds.length === 1 ? `bind '${one}' has no models` : `none of the binds ${names} has models`}, so no database can be compared. ` +
        `Set binds.${one}.models in ${source} to the module that declares its tables (binds: { ${one}: { url: …, models: './src/models/${one}.ts' } }), ` +
        `or write one from its database with 'migrate models --from-database --bind ${one}'.`,
      path,
    );
    this.binds = Object.freeze([...binds]);
  }
}

/**
 * `models --from-database` would overwrite an existing models module (the `--output` file or the
 * bind's configured `models` path). `code` `'FILE_EXISTS'`; the message says to pass `--force`
 * or write elsewhere.
 * @example
 * ```ts
 * try { await modelsFromDatabase(env, { bind: 'db2' }); }
 * catch (e) { if (e instanceof ModelsFileExistsError) console.error(`${e.file} exists`); }
 * ```
 */
export class ModelsFileExistsError extends MultidbError {
  /** The bind whose models were read. */
  readonly bind: string;
  /** The file that exists. */
  readonly file: string;
  constructor(bind: string, file: string) {
    super(`[${bind}] ${file} already exists: pass --force to overwrite it, or --output FILE to write the models elsewhere (from code: the options force: true, output).`, 'FILE_EXISTS');
    this.bind = bind;
    this.file = file;
  }
}

/**
 * A bind that autogenerate compared before it wrote nothing (see {@link NothingWrittenError.compared}):
 * what it detected, as an {@link AutogenerateBindResult} says it when a revision is written.
 */
export interface ComparedBind {
  /** The bind compared (the first bind of its branch in config order). */
  readonly bind: string;
  /** Its branch. */
  readonly branch: string;
  /**
   * `ready`: its models differ from its database and its revision was rendered, ready to write
   * (not written); `no-changes`: models and database match; `skipped`: no revision (no models,
   * or `processRevisionDirectives` skipped it).
   */
  readonly outcome: 'ready' | 'no-changes' | 'skipped';
  /** One line per change, as Alembic prints them (`Detected added table 'alpha'`). */
  readonly changes: readonly DetectedChange[];
  /** Its notes, as {@link AutogenerateBindResult.warnings}. */
  readonly warnings: readonly string[];
}

/**
 * Autogenerate over several binds could not read one or more of them (a server down, a database
 * missing on a server): it writes every bind's revision or none, so nothing was written. Every
 * selected bind was still compared, so the error names each bind it could not read
 * ({@link UnreachableBindsError.unreachable}, one message line each) and those whose revision was
 * ready to write ({@link NothingWrittenError.ready}); its last line says how to write those:
 * name them with `--bind` (the binds left out keep their database as it is, and are compared
 * again once reachable). What each bind it could read detected is in
 * {@link NothingWrittenError.compared} (`migrate migrate` prints its `Detected …` lines before
 * the error). A {@link UnreachableBindsError} (a `BindError` about the first bind it could not
 * read, its `code`).
 * @example
 * ```ts
 * try { await autogenerate(env, { message: 'add user.dummy' }); }
 * catch (e) {
 *   if (e instanceof NothingWrittenError) {
 *     for (const c of e.compared) for (const change of c.changes) console.error(`[${c.bind}] ${change.line}`);
 *     await autogenerate(env, { message: 'add user.dummy', binds: e.ready });
 *   }
 * }
 * ```
 */
export class NothingWrittenError extends UnreachableBindsError {
  /** The binds whose revision was compared and rendered, ready to write, in config order (`[]`: none differed). */
  readonly ready: readonly string[];
  /** Each bind compared (its branch's first), in config order, with what it detected; `[]` when none was given. */
  readonly compared: readonly ComparedBind[];
  /**
   * @param unreachable - the error of each bind that could not be read (at least one).
   * @param ready - the binds whose revision was ready to write.
   * @param command - the command, as the message names it (default `'migrate migrate'`).
   * @param compared - each bind compared, with what it detected (default `[]`).
   */
  constructor(unreachable: readonly BindError[], ready: readonly string[], command = 'migrate migrate', compared: readonly ComparedBind[] = []) {
    super(unreachable);
    const binds = this.unreachable.map((e) => e.bind);
    const cannot = `${binds.join(', ')} could not be read`;
    this.message +=
      `\n  nothing was written: '${command}' writes every bind's revision or none, and ${cannot}. ` +
      (ready.length
        ? `To write the revisions of ${ready.join(', ')} now, run it again with '${ready.map((b) => `--bind ${b}`).join(' ')}' (${binds.join(', ')} ${binds.length === 1 ? 'is' : 'are'} compared once reachable).`
        : 'No other bind compared differs from its models.');
    this.ready = Object.freeze([...ready]);
    this.compared = Object.freeze(compared.map((c) => Object.freeze({ ...c, changes: Object.freeze([...c.changes]), warnings: Object.freeze([...c.warnings]) })));
  }
}

/**
 * A baseline (`migrate revision --autogenerate --baseline`, `autogenerate(env, { baseline: true })`)
 * was asked for a branch that already has revisions: a baseline creates the whole schema from
 * nothing, so it is the first revision of its branch, and on top of other revisions it would
 * create their tables again. `code` `'BASELINE_NOT_FIRST'`; the message names each such bind with
 * its branch's heads and says how to go on: autogenerate against the database as usual, or remove
 * the branch's revisions first to start it over. Nothing is written.
 * @example
 * ```ts
 * try { await autogenerate(env, { message: 'baseline', binds: 'db2', baseline: true }); }
 * catch (e) { if (e instanceof BaselineNotFirstError) console.error(e.branches.map((b) => `${b.bind}: ${b.heads.join(', ')}`)); }
 * ```
 */
export class BaselineNotFirstError extends MultidbError {
  /** Each bind whose branch has revisions, with the branch and its heads. */
  readonly branches: readonly { readonly bind: string; readonly branch: string; readonly heads: readonly string[] }[];
  constructor(branches: readonly { readonly bind: string; readonly branch: string; readonly heads: readonly string[] }[]) {
    const lines = branches.map(
      (b) =>
        `[${b.bind}] Cannot write a baseline: branch '${b.branch}' has revisions already (head ${b.heads.join(', ')}), and a baseline is the first revision of a branch ` +
        `(it creates every table of the models, which those revisions create or expect). ` +
        `To record a change, compare the models with the database as usual ('migrate revision --autogenerate --bind ${b.bind} -m …'); ` +
        `to start the branch over with a baseline, remove its revision files first.`,
    );
    super(lines.join('\n'), 'BASELINE_NOT_FIRST');
    this.branches = Object.freeze(branches.map((b) => Object.freeze({ ...b, heads: Object.freeze([...b.heads]) })));
  }
}
