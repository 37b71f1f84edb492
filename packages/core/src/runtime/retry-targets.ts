import { InterruptedError, LockTimeoutError, MigrationError, RunError, UnreachableBindsError, type RetryByHand, type RunRetry } from '../errors.js';
import { planDowngrade, type Plan } from '../script/planner.js';
import type { RevisionMap } from '../script/revision-map.js';
import type { RevisionTarget } from '../script/revision-target.js';
import { withRun } from './runner.js';

/**
 * Where a plan led a bind (see {@link planTargets}): the version-table rows after its last step
 * (`[]`: base); `null` when the plan has no step for it (at its target already); `false` for a
 * downgrade's bind that targets of that bind alone cannot bring to those rows (a downgrade of one
 * line of a branch with several heads: `migrate downgrade t2@<row>` takes back only what
 * descends from that row, so a revision of the other line stays).
 * @internal
 */
export type PlannedRows = readonly string[] | null | false;

/**
 * Where a plan leads each bind it concerns: the version-table rows after the bind's last step
 * (`[]`: base), or `null` for a bind it has no step for (at its target already). Given the
 * revision map, a downgrade's bind that `<bind>@<row>` targets do not bring to those rows (from
 * where it stood before any of its steps) is `false` (see {@link PlannedRows}).
 * @param plan - a plan, as the planner made it.
 * @param map - the revision map the plan was made with (checks a downgrade's rows as above).
 * @returns `[bind, rows | null | false]` per bind of the plan, in the plan's order of binds, then
 *   binds that only its steps name.
 * @example
 * ```ts
 * planTargets(planUpgrade(map, states, ['+2'])); // [['t1', ['7a7a7a7a7a03']], ['t2', null]]
 * ```
 * @internal
 */
export function planTargets(plan: Plan, map?: RevisionMap): [string, PlannedRows][] {
  const after = new Map<string, PlannedRows>(plan.binds.map((b) => [b, null]));
  for (const step of plan.steps) after.set(step.bind, step.headsAfter);
  if (plan.direction === 'down' && map) {
    for (const [bind, rows] of after) if (rows && rows.length && !reachedByTargets(map, plan, bind, rows)) after.set(bind, false);
  }
  return [...after];
}

/**
 * Whether a target acts along one line of its branch (a branch label or revision qualifier on a
 * fork: `fa@+1`, `fa@head`, `fa@base`, `<rev>@head`), which a target scoped to one bind cannot say:
 * `t3@+1` walks from t3's revisions on the whole branch, possibly up the other fork. An upgrade to
 * a revision reaches it whatever line names it, and a bare label names its revision alone
 * (`fa`: `t3@fa`).
 */
function followsLine(command: 'upgrade' | 'downgrade', target: RevisionTarget, map: Pick<RevisionMap, 'isBase'>): boolean {
  const anchor = target.scope?.anchor;
  if (anchor === undefined || map.isBase(anchor)) return false;
  if (target.kind === 'revision') return command === 'downgrade' && target.text.includes('@');
  return true;
}

/**
 * Whether downgrading `bind` to `<bind>@<row>` for each of `rows`, in turn, from where it stood
 * before each of its steps of the down plan, leaves it at exactly `rows`.
 */
function reachedByTargets(map: RevisionMap, plan: Plan, bind: string, rows: readonly string[]): boolean {
  const steps = plan.steps.filter((s) => s.bind === bind);
  const branch = steps[0]!.script.branch;
  const key = (heads: readonly string[]) => [...heads].sort().join(' ');
  const starts = new Map(steps.map((s) => [key(s.headsBefore), s.headsBefore] as const));
  for (const start of starts.values()) {
    let heads = start;
    try {
      for (const row of rows) {
        const own = planDowngrade(map, [{ bind, branch, heads }], `${bind}@${row}`).steps.filter((s) => s.bind === bind);
        if (own.length) heads = own[own.length - 1]!.headsAfter;
      }
    } catch {
      return false;
    }
    if (key(heads) !== key(rows)) return false;
  }
  return true;
}

/**
 * The targets that finish what a run's targets meant for the binds it left short of them,
 * without stepping again the binds that ran (what running targets that count revisions from
 * where each bind stands, `+2`, `tenant@-1`, again would do). Per bind, in the order given:
 * `'<bind>@<revision>'` for each row its plan led to (`'<bind>@base'` for none): exact, whatever
 * the bind ran before it stopped; a bind planned without steps (at its target), or that such
 * targets cannot bring there (`false`, see {@link PlannedRows}), gets none. A bind
 * that was never planned (nothing was read there: it could not be reached, or its group stopped
 * before its turn's plan and was not planned ahead) ran nothing, so the targets that concern it
 * still mean what they meant, written for that bind alone: a target naming it as is (`'t2@+1'`),
 * another one scoped to it (`'+1'` → `'t2@+1'`, `'tenant@head'` → `'t2@head'`, the branch's label
 * `'tenant'` → `'t2'`). When one of them follows a line of a forked branch (`'fa@+1'`: no target
 * says that for one bind, see {@link RunRetry.byHand}), the bind gets none of them, and is listed
 * in `byHand` with every target that concerns it instead (a target given before it would move
 * where the line target starts from).
 * @param command - the run's command (an upgrade to a revision follows no line).
 * @param short - the binds the run left short of their targets (each once, in run order).
 * @param targetOf - where a bind's plan led it, as {@link planTargets} says (`undefined`: never planned).
 * @param targets - the run's targets, as parsed (the text as written and its target).
 * @param map - the revision map (which revisions are branch roots: a root's label names the whole branch).
 * @returns `targets`, as `migrate upgrade`/`downgrade` and `MigrationEnvironment.upgrade` take
 *   them, and `byHand`, per bind never planned whose targets follow a line, those targets as written.
 * @example
 * ```ts
 * retryTargets('upgrade', ['t2'], (b) => (b === 't2' ? ['7a7a7a7a7a02'] : undefined), [], map); // { targets: ['t2@7a7a7a7a7a02'], byHand: [] }
 * ```
 * @internal
 */
export function retryTargets(
  command: 'upgrade' | 'downgrade',
  short: readonly string[],
  targetOf: (bind: string) => PlannedRows | undefined,
  targets: readonly { readonly text: string; readonly target: RevisionTarget }[],
  map: Pick<RevisionMap, 'isBase'>,
): { targets: string[]; byHand: RetryByHand[] } {
  const written: string[] = [];
  const byHand: RetryByHand[] = [];
  for (const bind of short) {
    const planned = targetOf(bind);
    if (planned === null || planned === false) continue;
    if (planned !== undefined) {
      written.push(...(planned.length ? planned.map((revision) => `${bind}@${revision}`) : [`${bind}@base`]));
      continue;
    }
    const concerning = targets.filter(({ target }) => target.scope === undefined || target.scope.binds.includes(bind));
    if (concerning.some(({ target }) => followsLine(command, target, map))) {
      byHand.push(Object.freeze({ bind, targets: Object.freeze(concerning.map(({ text }) => text.trim())) }));
      continue;
    }
    for (const { text, target } of concerning) {
      const t = text.trim();
      // A bind named (`t2`, `t2@+1`) as is; a bare label of the branch's root (`tenant`: upgrade to the head, downgrade one step) as the bind.
      if (target.scope?.via === 'bind') written.push(t);
      else if (target.kind === 'bind') written.push(bind);
      else written.push(`${bind}@${t.slice(t.lastIndexOf('@') + 1)}`);
    }
  }
  return { targets: written, byHand };
}

/**
 * How to finish a run that stopped part way (see {@link RunRetry}): when some of its targets count
 * revisions from where each bind stands (`+2`, `tenant@-1`) and it completed steps, running them
 * again would step again the binds that ran, so the targets that finish what they meant for the
 * binds it left short ({@link retryTargets}). `undefined` otherwise: its targets are absolute
 * (`head`, a revision, `head-1`), or nothing completed, and the same command again finishes it.
 * @param command - the run's command.
 * @param targets - the run's targets, as parsed (the text as written and its target).
 * @param completed - how many steps the run completed.
 * @param short - the binds it left short of their targets, each once, in run order (see {@link leftShort}).
 * @param targetOf - where a bind's plan led it, as {@link planTargets} says (`undefined`: never
 *   planned). When a bind left short is `false`, the retry gives no targets (the message then says
 *   no downgrade of each bind to one of its revisions finishes the run).
 * @param map - the revision map (see {@link retryTargets}).
 * @returns the retry to give the error that stopped the run, or `undefined`.
 * @example
 * ```ts
 * runRetry('upgrade', [{ text: '+2', target: parseTarget('+2', map) }], 1, ['t2'], (b) => (b === 't2' ? ['7a7a7a7a7a03'] : undefined), map);
 * // { command: 'upgrade', relative: ['+2'], targets: ['t2@7a7a7a7a7a03'] }
 * ```
 * @internal
 */
export function runRetry(
  command: 'upgrade' | 'downgrade',
  targets: readonly { readonly text: string; readonly target: RevisionTarget }[],
  completed: number,
  short: readonly string[],
  targetOf: (bind: string) => PlannedRows | undefined,
  map: Pick<RevisionMap, 'isBase'>,
): RunRetry | undefined {
  const relative = targets.filter(({ target }) => target.kind === 'relative').map(({ text }) => text.trim());
  if (relative.length === 0 || completed === 0) return undefined;
  // A bind that targets of its own cannot bring where its plan led it (`false`): no command would
  // finish the run (the others' targets alone would leave it short, unsaid), so none is given.
  if (short.some((b) => targetOf(b) === false)) return Object.freeze({ command, relative: Object.freeze(relative), targets: Object.freeze([]) });
  const retry = retryTargets(command, short, targetOf, targets, map);
  return Object.freeze({
    command,
    relative: Object.freeze(relative),
    targets: Object.freeze(retry.targets),
    ...(retry.byHand.length ? { byHand: Object.freeze(retry.byHand) } : {}),
  });
}

/**
 * The binds that the error that stopped a run says it left short of their targets, each once,
 * in the error's order: a {@link RunError}'s failed, skipped, unreachable and stopped binds and
 * those its signal left; a {@link MigrationError}'s bind and the binds it did not run
 * (`notRun`); a {@link LockTimeoutError}'s the same; an {@link UnreachableBindsError}'s
 * unreachable binds and `notRun`; an {@link InterruptedError}'s binds with steps `pending` and
 * those `notStarted`. `[]` for any other error.
 * @param error - what the run threw.
 * @returns the bind names.
 * @example
 * ```ts
 * leftShort(new InterruptedError({ pending: [{ bind: 't2', revision: 'ab02' }], notStarted: ['t3'] })); // ['t2', 't3']
 * ```
 * @internal
 */
export function leftShort(error: unknown): string[] {
  const binds =
    error instanceof RunError
      ? [
          ...error.failures.map((f) => f.bind),
          ...error.skipped.map((s) => s.bind),
          ...error.unreachable.map((u) => u.bind),
          ...error.stopped.flatMap((st) => st.binds),
          ...(error.interrupted ? [...error.interrupted.pending.map((p) => p.bind), ...error.interrupted.notStarted] : []),
        ]
      : error instanceof MigrationError || error instanceof LockTimeoutError
      ? [error.bind, ...error.notRun]
      : error instanceof UnreachableBindsError
      ? [...error.unreachable.map((u) => u.bind), ...error.notRun]
      : error instanceof InterruptedError
      ? [...error.pending.map((p) => p.bind), ...error.notStarted]
      : [];
  return [...new Set(binds)];
}

/**
 * The error that stopped a run of one group of binds, again, saying how to finish the run (see
 * {@link runRetry}): a {@link RunError} (`concurrency` > 1) always (for absolute targets, that
 * the same command again runs only what is left), a {@link MigrationError} or an
 * {@link InterruptedError} when `retry` is given. Any other error, or one that says it already, as is.
 * @param error - what the run threw.
 * @param command - the run's command.
 * @param retry - what {@link runRetry} gave for it.
 * @returns the error to throw.
 * @example
 * ```ts
 * const parsed = [{ text: '+2', target: parseTarget('+2', map) }];
 * try { await env.upgrade('+2'); }
 * catch (e) { throw withRetry(e, 'upgrade', runRetry('upgrade', parsed, completedOf(e), leftShort(e), () => undefined, map)); }
 * ```
 * @internal
 */
export function withRetry(error: unknown, command: 'upgrade' | 'downgrade', retry: RunRetry | undefined): unknown {
  if (error instanceof RunError) {
    if (error.relative.length || error.retry.length || error.retryByHand.length) return error;
    return new RunError(error.failures, error.skipped, error.unreachable, error.stopped, error.completed, error.interrupted, {
      relative: retry?.relative ?? [],
      retry: { command, targets: retry?.targets ?? [], ...(retry?.byHand ? { byHand: retry.byHand } : {}) },
    });
  }
  if (retry === undefined) return error;
  if (error instanceof MigrationError && error.relative.length === 0) return withRun(error, { retry });
  if (error instanceof InterruptedError && error.relative.length === 0) {
    return new InterruptedError({ reason: error.reason, completed: error.completed, pending: error.pending, heads: error.heads, notStarted: error.notStarted, retry });
  }
  return error;
}

/**
 * The steps that the error that stopped a run says the run completed (`completed` of a
 * {@link RunError}, {@link MigrationError}, {@link LockTimeoutError}, {@link UnreachableBindsError}
 * or {@link InterruptedError}); `[]` for any other error.
 * @param error - what the run threw.
 * @returns how many steps completed.
 * @example
 * ```ts
 * completedOf(new InterruptedError({ completed: [] })); // 0
 * ```
 * @internal
 */
export function completedOf(error: unknown): number {
  const known = error instanceof RunError || error instanceof MigrationError || error instanceof LockTimeoutError || error instanceof UnreachableBindsError || error instanceof InterruptedError;
  return known ? error.completed.length : 0;
}
