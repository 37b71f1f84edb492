import { BindError, BindRequiredError, checkOptions, commands, keysOf, listArgument, OfflineSnapshots, offlineSnapshotsAt, ScriptError, UnreachableBindsError, type MigrationEnvironment, type Op, type RevisionDirectives, type ColumnType, type RevisionResult } from '@multidb/core';
import type { DetectedChange } from '../compare/detected-change.js';
import { downgradeWarnings } from '../render/downgrade-warnings.js';
import { renderRevisionBody } from '../render/render-revision-body.js';
import { reverseOps } from '../render/reverse-ops.js';
import { runPostWriteHook } from '../render/post-write-hook.js';
import { autogenerateOptionsOf, compareBind, requireAtHead, type CompareBindOptions } from './compare-bind.js';
import { BaselineNotFirstError, NoModelsError, NothingWrittenError, type ComparedBind } from './autogenerate-errors.js';
import { RenameDecisionRequiredError } from '../compare/rename-decision-required-error.js';
import { loadModels } from './load-models.js';
import { withCopyFrom } from './with-copy-from.js';

/** Options of {@link autogenerate}. */
export interface AutogenerateCommandOptions extends Omit<CompareBindOptions, 'fromEmpty'> {
  /** The revision message (`-m`). */
  readonly message: string;
  /** Only these binds, or this one bind (default: every bind with models). */
  readonly binds?: string | readonly string[];
  /**
   * The id of the revision (`--rev-id`): used when one revision is written; when the models of
   * several binds' branches differ, a `BindRequiredError` is thrown and nothing is written.
   */
  readonly revId?: string;
  /**
   * Write a baseline (`--baseline`): compare each bind's models with an EMPTY schema instead of its
   * database, so that the revision's upgrade creates every table, index, foreign key and enum of
   * the models (in dependency order) and its downgrade drops them. No database is opened (the
   * dialect comes from the bind's URL scheme, as offline mode takes it: a `mysql://` bind gets
   * MySQL's rules, with a warning that says so, whatever its server; `mariadb://` MariaDB's), and
   * no bind needs to be at head. The warnings name the column types a fresh database lacks. Only for a branch without revisions: with one, a {@link BaselineNotFirstError}.
   * Adopting a database: models from it, a baseline, then `stamp BIND@head` on that database;
   * a fresh database of the bind gets the whole schema with `upgrade`.
   */
  readonly baseline?: boolean;
}

/** The keys of {@link AutogenerateCommandOptions}. */
const AUTOGENERATE_OPTIONS = keysOf<AutogenerateCommandOptions>({ message: true, binds: true, revId: true, renames: true, resolveRenames: true, baseline: true });

/** What autogenerate did for one branch (compared through its first bind). */
export interface AutogenerateBindResult {
  /** The bind compared (the first bind of its branch in config order). */
  readonly bind: string;
  /** The branch the revision is written in. */
  readonly branch: string;
  /**
   * `written`: a revision was written; `no-changes`: models and database match ("No changes in
   * schema detected"); `skipped`: no revision (no models, or `processRevisionDirectives` skipped it).
   */
  readonly outcome: 'written' | 'no-changes' | 'skipped';
  /** One line per change, as Alembic prints them (`Detected added column 'user.dummy'`). */
  readonly changes: readonly DetectedChange[];
  /**
   * Notes: views or triggers a change touches, tables left alone, why a bind was skipped; and,
   * when a revision is written, what its downgrade may fail at or lose (`downgradeWarnings`: a
   * column set NOT NULL again or added back NOT NULL without a default, a type narrowed again).
   */
  readonly warnings: readonly string[];
  /** The revision written (`outcome: 'written'`). */
  readonly revision?: RevisionResult;
  /**
   * The rename decisions that matched no candidate of this bind (`--rename t.a=t.b`); absent when
   * the bind was not compared (no models). `unmatchedRenameWarnings` turns the results of a
   * run into one warning per decision that matched in no bind.
   */
  readonly unmatchedRenames?: readonly string[];
}

/**
 * `migrate migrate -m MSG` (and `migrate revision --autogenerate`): compares each bind's models
 * with its database and writes one reviewed, reversible revision per branch that changed, into
 * that branch, once every branch was compared and rendered (a bind that fails leaves no file
 * written for the others). Binds without models are skipped with a note; binds sharing a branch (tenants)
 * share one models module and are compared through the first of them in config order, after
 * checking that every one of them is at head. The ops go through the config's
 * `processRevisionDirectives` hook; the written file through its `postWrite` hook.
 *
 * @returns one result per branch compared, in config order.
 * @throws {@link NothingWrittenError} when a bind cannot be read (connected, its version table
 *   read): every other bind is still compared, nothing is written, and the error names the binds
 *   whose revision was ready (to write alone with `binds`);
 *   `TargetNotUpToDateError` (a bind not at head), `RenameDecisionRequiredError` (a possible
 *   rename nobody decided: every bind is compared first, and one error names the candidates of
 *   each, see `RenameDecisionRequiredError.byBind`), `ModelsError`, `PostWriteHookError`;
 *   {@link NoModelsError} when none of the selected binds has models (before any database is opened);
 *   `BindRequiredError` (the CLI's exit 2) for a `revId` when several branches would get a
 *   revision, before any is written;
 *   `UnknownOptionError` when `options` holds a key {@link AutogenerateCommandOptions} does not have
 *   (`bind` for `binds`, `rename`), before anything is read or opened.
 *   {@link BaselineNotFirstError} (`baseline: true`) when a selected branch has revisions already,
 *   before anything is compared or written.
 * @example
 * ```ts
 * const results = await autogenerate(env, { message: 'add user.dummy' });
 * for (const r of results) console.log(r.bind, r.outcome, r.revision?.path ?? '');
 * // Adopting db2: a baseline that creates its whole schema, for a branch without revisions.
 * await autogenerate(env, { message: 'baseline', binds: 'db2', baseline: true });
 * ```
 */
export async function autogenerate(env: MigrationEnvironment, options: AutogenerateCommandOptions): Promise<AutogenerateBindResult[]> {
  checkOptions('autogenerate()', options, AUTOGENERATE_OPTIONS);
  const asked = options.binds === undefined ? [] : listArgument(options.binds, 'autogenerate() options.binds', "'db2'");
  const selected = asked.length ? asked.map((b) => env.bind(b).name) : env.bindNames;
  // Alembic refuses --autogenerate without target_metadata: with no models anywhere, nothing can be compared.
  if (!selected.some((bind) => env.bind(bind).config.models !== undefined)) throw new NoModelsError(selected, env.loaded, 'autogenerate');
  // A baseline is the first revision of its branch: refused, before anything is compared or
  // written, for every selected branch (with models) that has one already.
  if (options.baseline) {
    const map = await env.revisionMap();
    const seen = new Set<string>();
    const taken = selected.flatMap((bind) => {
      const { branch, config } = env.bind(bind);
      if (config.models === undefined || seen.has(branch)) return [];
      seen.add(branch);
      const heads = map.heads(branch);
      return heads.length ? [{ bind, branch, heads }] : [];
    });
    if (taken.length) throw new BaselineNotFirstError(taken);
  }
  // Every branch is compared, and its revision rendered, before any file is written: a bind that
  // fails (not at head, a rename nobody decided, a model that cannot be rendered) leaves no
  // revision behind for the binds before it, which would keep the next run from starting.
  const results: (AutogenerateBindResult | PendingRevision)[] = [];
  const branchesDone = new Set<string>();
  const undecided: RenameDecisionRequiredError[] = [];
  const unreachable: BindError[] = [];
  for (const name of selected) {
    const branch = env.bind(name).branch;
    if (branchesDone.has(branch)) continue;
    branchesDone.add(branch);
    const first = env.binds.find((b) => b.branch === branch && (selected.includes(b.name) || !asked.length))!.name;
    const models = await loadModels(env, first);
    if (!models) {
      results.push({ bind: first, branch, outcome: 'skipped', changes: [], warnings: [`[${first}] has no models (binds.${first}.models): skipped.`] });
      continue;
    }
    let compared: Awaited<ReturnType<typeof compareBind>>;
    try {
      // A baseline reads no database: it is compared with an empty schema.
      if (!options.baseline) for (const b of env.binds.filter((x) => x.branch === branch)) await requireAtHead(env, b.name);
      compared = await compareBind(env, first, models, { renames: options.renames, resolveRenames: options.resolveRenames, ...(options.baseline ? { fromEmpty: true } : {}) });
    } catch (error) {
      // Go on to the other binds, so that one refusal names every bind's undecided renames, and
      // every bind that cannot be read (with the binds whose revision is ready: nothing is written).
      if (error instanceof BindError) unreachable.push(error);
      else if (error instanceof RenameDecisionRequiredError) undecided.push(error);
      else throw error;
      continue;
    }
    const { comparison, comparator, typeSubstitutions } = compared;
    if (comparison.ops.length === 0) {
      results.push({ bind: first, branch, outcome: 'no-changes', changes: comparison.changes, warnings: comparison.warnings, unmatchedRenames: comparison.unmatchedRenames });
      continue;
    }
    // Batch ops (SQLite rebuilds) carry the table's shape where offline mode cannot know it.
    const { upgradeOps, downgradeOps } = withCopyFrom(comparison.ops, reverseOps(comparison.ops), {
      known: await knownOffline(env, first, comparison.ops),
      database: compared.database,
      models: compared.models,
    });
    const directives: RevisionDirectives = { bind: first, branch, message: options.message, upgradeOps, downgradeOps, skip: false };
    const hooks = autogenerateOptionsOf(env, first);
    await hooks.processRevisionDirectives?.(directives);
    if (directives.skip || directives.upgradeOps.length === 0) {
      results.push({
        bind: first,
        branch,
        outcome: 'skipped',
        changes: comparison.changes,
        warnings: [...comparison.warnings, `[${first}] processRevisionDirectives skipped the revision.`],
        unmatchedRenames: comparison.unmatchedRenames,
      });
      continue;
    }
    // The `// Data loss:` comments judge a type change as the database keeps the types; SQLite
    // checks no type sizes: a change that only narrows one keeps every value (a note, no loss).
    const dataLoss = { storedType: (type: ColumnType) => comparator.canonicalType(type), checksTypeSizes: compared.capabilities.checksTypeSizes ?? true };
    const body = renderRevisionBody({
      upgradeOps: directives.upgradeOps,
      downgradeOps: directives.downgradeOps,
      warnings: comparison.revisionWarnings,
      ...dataLoss,
      // A type the database gets as another: a comment next to the op that declares it.
      typeSubstitutions,
    });
    results.push({
      pending: true,
      bind: first,
      branch,
      message: directives.message,
      body,
      postWrite: hooks.postWrite,
      changes: comparison.changes,
      // What the downgrade written may fail at or lose: said here, where a revision is written (not by check).
      warnings: [...comparison.warnings, ...downgradeWarnings(directives.downgradeOps, dataLoss)],
      unmatchedRenames: comparison.unmatchedRenames,
    });
  }
  // A bind that cannot be read: nothing is written (every revision or none); the error names the
  // binds whose revision is ready, to write them alone with `--bind`.
  if (unreachable.length) {
    // Nothing else was compared (one bind asked for, or no other with models): its own error.
    const others = results.filter((r) => 'pending' in r || r.outcome !== 'skipped').length + undecided.length;
    if (others === 0) throw unreachable.length === 1 ? unreachable[0] : new UnreachableBindsError(unreachable);
    // What each bind it could read detected, for the caller to show (the CLI's `Detected …` lines).
    const compared = results.map((r): ComparedBind => ({ bind: r.bind, branch: r.branch, outcome: 'pending' in r || r.outcome === 'written' ? 'ready' : r.outcome, changes: r.changes, warnings: r.warnings }));
    throw new NothingWrittenError(unreachable, results.filter((r) => 'pending' in r).map((r) => r.bind), undefined, compared);
  }
  if (undecided.length) throw RenameDecisionRequiredError.ofBinds(undecided);
  // One id names one revision: with several to write, none is written (it was left out for all).
  const pending = results.filter((r): r is PendingRevision => 'pending' in r);
  if (options.revId !== undefined && pending.length > 1) {
    const binds = pending.map((r) => r.bind);
    throw new BindRequiredError(`--rev-id '${options.revId}' names one revision, but ${binds.length} binds' models differ from their databases (${binds.join(', ')}): it`, binds, `'--bind ${binds[0]}'`);
  }
  const written: AutogenerateBindResult[] = [];
  for (const result of results) {
    if (!('pending' in result)) {
      written.push(result);
      continue;
    }
    const revision = await commands.revision(env, {
      bind: result.bind,
      message: result.message,
      imports: result.body.imports,
      upgrades: result.body.upgrades,
      downgrades: result.body.downgrades,
      ...(options.revId !== undefined ? { revId: options.revId } : {}),
    });
    if (result.postWrite) await runPostWriteHook(result.postWrite, revision.path, { cwd: env.loaded.baseDir });
    written.push({ bind: result.bind, branch: result.branch, outcome: 'written', changes: result.changes, warnings: result.warnings, revision, unmatchedRenames: result.unmatchedRenames });
  }
  return written;
}

/**
 * What offline mode knows of the bind's tables at its heads, to tell which batch ops need
 * `copyFrom`; nothing (every batch gets it) when a revision module of the history does not import,
 * which an offline run would report itself. The history is not read when no op is a batch.
 */
async function knownOffline(env: MigrationEnvironment, bind: string, ops: readonly Op[]): Promise<OfflineSnapshots> {
  if (!ops.some((op) => op.kind === 'BatchAlterTable')) return new OfflineSnapshots();
  try {
    return await offlineSnapshotsAt(env, bind);
  } catch (error) {
    if (error instanceof ScriptError) return new OfflineSnapshots();
    throw error;
  }
}

/** A branch's revision compared and rendered, to be written once every branch is. */
interface PendingRevision {
  readonly pending: true;
  readonly bind: string;
  readonly branch: string;
  readonly message: string;
  readonly body: ReturnType<typeof renderRevisionBody>;
  readonly postWrite: ReturnType<typeof autogenerateOptionsOf>['postWrite'];
  readonly changes: readonly DetectedChange[];
  readonly warnings: readonly string[];
  readonly unmatchedRenames: readonly string[];
}
