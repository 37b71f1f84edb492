import { BindRequiredError, DependencyError, MultipleHeadsError, RevisionError, VersionTableError } from '../errors.js';
import type { RevisionMap } from './revision-map.js';
import { parseTarget, type RevisionTarget, type TargetScope } from './revision-target.js';
import type { RevisionScript } from './revision-script.js';

/** A bind as the planner sees it: its branch and the rows of its version table. */
export interface BindState {
  readonly bind: string;
  /** The branch its revisions live in (`binds.<name>.branch`, default the bind's name). */
  readonly branch: string;
  /** The rows of the bind's version table: one per current head, `[]` at base. */
  readonly heads: readonly string[];
}

/** One revision to run on one bind. */
export interface PlanStep {
  readonly bind: string;
  readonly revision: string;
  readonly direction: 'up' | 'down';
  readonly script: RevisionScript;
  /** The bind's version-table rows before the step (sorted in revision order; `[]` at base). */
  readonly headsBefore: readonly string[];
  /** The rows after it; the runner writes the difference. */
  readonly headsAfter: readonly string[];
}

/** What a command will do, in a valid global order (every step's requirements come first). */
export interface Plan {
  readonly direction: 'up' | 'down';
  readonly steps: readonly PlanStep[];
  /**
   * The binds the plan concerns, in the order given: the binds the targets selected, plus binds
   * pulled in through depends-on. A bind may have no steps (already at its target).
   */
  readonly binds: readonly string[];
}

/** What `stamp` writes to one bind's version table. */
export interface StampChange {
  readonly bind: string;
  /** The rows the table holds now (as given, without repeats). */
  readonly from: readonly string[];
  /** The rows it will hold (sorted in revision order; `[]` = base). */
  readonly to: readonly string[];
}

/** Options of {@link planStamp}. */
export interface PlanStampOptions {
  /** Ignore the current rows (even unknown ones): the targets alone decide (default `false`). */
  readonly purge?: boolean;
}

interface Draft {
  readonly step: PlanStep;
  /** Steps of other binds that must come first, not yet placed. */
  waits: number;
  /** Steps of other binds waiting for this one. */
  readonly unblocks: Draft[];
}

interface Applied {
  /** Version-table rows, validated, without redundant rows, in revision order. */
  readonly rows: readonly string[];
  /** Every revision those rows imply (within the bind's branch). */
  readonly applied: ReadonlySet<string>;
}

/** The binds of a plan and their validated state, computed on demand. */
class PlanContext {
  readonly map: RevisionMap;
  readonly states: readonly BindState[];
  readonly names: readonly string[];
  readonly #byName = new Map<string, BindState>();
  readonly #byBranch = new Map<string, string[]>();
  readonly #applied = new Map<string, Applied>();

  constructor(map: RevisionMap, binds: readonly BindState[]) {
    this.map = map;
    this.states = binds;
    for (const state of binds) {
      if (this.#byName.has(state.bind)) throw new RevisionError(`Bind '${state.bind}' is given twice to the planner.`);
      this.#byName.set(state.bind, state);
      let list = this.#byBranch.get(state.branch);
      if (!list) this.#byBranch.set(state.branch, (list = []));
      list.push(state.bind);
    }
    this.names = binds.map((b) => b.bind);
  }

  branchOf(bind: string): string {
    return this.#byName.get(bind)!.branch;
  }

  bindsOn(branch: string): readonly string[] {
    return this.#byBranch.get(branch) ?? [];
  }

  sortRows(rows: string[]): string[] {
    return rows.sort((a, b) => this.map.indexOf(a) - this.map.indexOf(b));
  }

  /**
   * Validated rows and applied set of a bind. `strict`: a row that is an ancestor of another is
   * an error (a plan could not keep the table right); otherwise it is dropped.
   */
  applied(bind: string, strict = true): Applied {
    const cached = strict ? this.#applied.get(bind) : undefined;
    if (cached) return cached;
    const state = this.#byName.get(bind)!;
    const rows = [...new Set(state.heads)];
    for (const row of rows) {
      if (!this.map.has(row)) {
        throw new VersionTableError(
          bind,
          [row],
          `Bind '${bind}' is at revision '${row}', which no script declares. ` +
            `Restore its script, or rewrite the version table with 'migrate stamp --purge ${bind}@<revision>'.`,
        );
      }
      const branch = this.map.get(row).branch;
      if (branch !== state.branch) {
        throw new VersionTableError(
          bind,
          [row],
          `Bind '${bind}' (branch '${state.branch}') is at revision '${row}' of branch '${branch}'. ` +
            `Check binds.${bind}.branch, or rewrite the version table with 'migrate stamp --purge'.`,
        );
      }
    }
    const rowSet = new Set(rows);
    const applied = new Set<string>();
    const redundant = new Set<string>();
    const stack = [...rows];
    while (stack.length) {
      const id = stack.pop()!;
      if (applied.has(id)) continue;
      applied.add(id);
      for (const p of this.map.predecessors(id)) {
        if (rowSet.has(p)) redundant.add(p);
        if (!applied.has(p)) stack.push(p);
      }
    }
    if (redundant.size && strict) {
      throw new VersionTableError(
        bind,
        [...redundant],
        `Bind '${bind}' has version-table rows that are ancestors of other rows (${[...redundant].join(', ')}). ` +
          `Rewrite the table with 'migrate stamp ${bind}@head' (or the revision it is at).`,
      );
    }
    const result: Applied = { rows: this.sortRows(rows.filter((r) => !redundant.has(r))), applied };
    if (strict) this.#applied.set(bind, result);
    return result;
  }

  /** The binds a scope selects (every bind when there is no scope). */
  select(scope: TargetScope | undefined, text: string): readonly string[] {
    if (scope === undefined) return this.names;
    if (scope.binds.length === 0) {
      throw new RevisionError(
        `Target '${text}' is in branch '${scope.branch}', which no bind uses` +
          (this.names.length ? ` (binds: ${this.names.map((b) => `${b} → ${this.branchOf(b)}`).join(', ')}).` : '.'),
      );
    }
    return scope.binds;
  }

  /** The heads a bind may reach under a scope (all heads of its branch, or those from the anchor). */
  headsFor(bind: string, scope: TargetScope | undefined): readonly string[] {
    return scope?.anchor !== undefined ? this.map.headsFrom(scope.anchor) : this.map.heads(this.branchOf(bind));
  }

  /** The single head for `head`-like targets; undefined for a branch with no revisions. */
  singleHead(bind: string, scope: TargetScope | undefined, text: string): string | undefined {
    const heads = this.headsFor(bind, scope);
    if (heads.length > 1) throw new MultipleHeadsError(heads, text, this.branchOf(bind));
    return heads[0];
  }

  walk(bind: string, from: readonly string[], steps: number, text: string): readonly string[] {
    return this.map.walk(from, steps, { branch: this.branchOf(bind), argument: text, bind });
  }

  /** Orders per-bind step lists into one valid sequence, keeping a bind's steps together where it can. */
  order(drafts: ReadonlyMap<string, readonly Draft[]>): PlanStep[] {
    const binds = this.names.filter((b) => (drafts.get(b)?.length ?? 0) > 0);
    const next = new Map<string, number>(binds.map((b) => [b, 0]));
    const total = binds.reduce((n, b) => n + drafts.get(b)!.length, 0);
    const ready = (bind: string): Draft | undefined => {
      const d = drafts.get(bind)![next.get(bind)!];
      return d !== undefined && d.waits === 0 ? d : undefined;
    };
    const out: PlanStep[] = [];
    let current: string | undefined = binds[0];
    while (out.length < total) {
      let draft = current === undefined ? undefined : ready(current);
      if (!draft) {
        current = binds.find((b) => ready(b) !== undefined);
        if (current === undefined) throw new RevisionError('No valid order for the plan: steps of different binds wait for each other.');
        draft = ready(current)!;
      }
      out.push(draft.step);
      next.set(current!, next.get(current!)! + 1);
      for (const u of draft.unblocks) u.waits--;
    }
    return out;
  }
}

function freezeStep(step: PlanStep): PlanStep {
  Object.freeze(step.headsBefore);
  Object.freeze(step.headsAfter);
  return Object.freeze(step);
}

function freezePlan(direction: 'up' | 'down', steps: PlanStep[], binds: readonly string[]): Plan {
  return Object.freeze({ direction, steps: Object.freeze(steps), binds: Object.freeze([...binds]) });
}

/** Drafts of one bind's upgrade, `revisions` in revision order, with the rows before and after each. */
function upDrafts(ctx: PlanContext, bind: string, revisions: readonly string[]): Draft[] {
  let heads = [...ctx.applied(bind).rows];
  return revisions.map((revision) => {
    const preds = ctx.map.predecessors(revision);
    const after = ctx.sortRows([...heads.filter((h) => !preds.includes(h)), revision]);
    const step = freezeStep({ bind, revision, direction: 'up', script: ctx.map.get(revision), headsBefore: heads, headsAfter: after });
    heads = after;
    return { step, waits: 0, unblocks: [] };
  });
}

/** Drafts of one bind's downgrade, `revisions` newest first. */
function downDrafts(ctx: PlanContext, bind: string, revisions: readonly string[]): Draft[] {
  const state = ctx.applied(bind);
  const applied = new Set(state.applied);
  let heads = [...state.rows];
  return revisions.map((revision) => {
    applied.delete(revision);
    const after = heads.filter((h) => h !== revision);
    for (const p of ctx.map.predecessors(revision)) {
      if (applied.has(p) && !after.includes(p) && !ctx.map.successors(p).some((s) => applied.has(s))) after.push(p);
    }
    const step = freezeStep({ bind, revision, direction: 'down', script: ctx.map.get(revision), headsBefore: heads, headsAfter: ctx.sortRows(after) });
    heads = step.headsAfter as string[];
    return { step, waits: 0, unblocks: [] };
  });
}

function byBindAndRevision(drafts: ReadonlyMap<string, readonly Draft[]>): Map<string, Map<string, Draft>> {
  const out = new Map<string, Map<string, Draft>>();
  for (const [bind, list] of drafts) out.set(bind, new Map(list.map((d) => [d.step.revision, d])));
  return out;
}

/** Revisions each selected bind must reach for one upgrade target. */
function upgradeDestinations(ctx: PlanContext, target: RevisionTarget, want: (bind: string, revision?: string) => void): void {
  const text = target.text;
  switch (target.kind) {
    case 'heads':
      for (const bind of ctx.select(target.scope, text)) {
        want(bind);
        for (const head of ctx.headsFor(bind, target.scope)) want(bind, head);
      }
      return;
    case 'head':
    case 'bind':
      for (const bind of ctx.select(target.scope, text)) want(bind, ctx.singleHead(bind, target.scope, text));
      return;
    case 'base':
      for (const bind of ctx.select(target.scope, text)) want(bind);
      return;
    case 'relative':
      if (target.steps < 0) throw new RevisionError(`'${text}' steps down; use 'downgrade ${text}'.`);
      for (const bind of ctx.select(target.scope, text)) want(bind, ctx.walk(bind, ctx.applied(bind).rows, target.steps, text)[0]);
      return;
    case 'revision':
      for (const bind of ctx.select(target.scope, text)) want(bind, target.revision);
      return;
  }
}

/**
 * Plans an upgrade of one or more binds (DESIGN §2). Each target applies to the binds it selects:
 * `head`, `heads`, `base`, `+N` to every bind; `<bind>…` and label qualifiers to their binds; a
 * revision to every bind of its branch. Revisions those need through depends-on in other branches
 * are pulled in for every bind of that branch and ordered before their dependents. Within a bind
 * steps follow revision order; across binds a bind's steps stay together unless a dependency
 * interleaves them. A target already reached yields no steps.
 *
 * @param map - the revision map.
 * @param binds - the binds (in config order) with their branch and version-table rows.
 * @param targets - targets as written; `[]` means `['head']`.
 * @returns the plan: steps with the rows before and after each, and the binds concerned.
 * @throws {@link MultipleHeadsError} when a bind's branch has several heads and a target needs one.
 * @throws {@link UnknownBindError}, {@link AmbiguousRevisionError}, {@link RevisionNotFoundError}
 *   for targets that do not resolve (see {@link parseTarget}).
 * @throws {@link VersionTableError} when a bind is at a revision no script declares (or of another branch).
 * @throws {@link RevisionError} for `+N` beyond head, a downgrade target (`-N`), a revision of a
 *   branch no bind uses, or a depends-on in a branch no bind uses.
 * @example
 * ```ts
 * const plan = planUpgrade(map, [
 *   { bind: 'default', branch: 'default', heads: [] },
 *   { bind: 'db2', branch: 'db2', heads: ['1bc594146bb5'] },
 * ], ['db2@head']);
 * for (const step of plan.steps) console.log(step.bind, step.revision);
 * ```
 */
export function planUpgrade(map: RevisionMap, binds: readonly BindState[], targets: readonly string[]): Plan {
  const ctx = new PlanContext(map, binds);
  const selected = new Set<string>();
  const queue: [string, string][] = [];
  for (const text of targets.length ? targets : ['head']) {
    upgradeDestinations(ctx, parseTarget(text, map, binds), (bind, revision) => {
      selected.add(bind);
      if (revision !== undefined) queue.push([bind, revision]);
    });
  }

  // Close over what each wanted revision needs: its branch ancestors, and depends-on elsewhere.
  const added = new Map<string, Set<string>>();
  while (queue.length) {
    const [bind, revision] = queue.pop()!;
    const { applied } = ctx.applied(bind);
    let mine = added.get(bind);
    if (!mine) added.set(bind, (mine = new Set()));
    const stack = [revision];
    while (stack.length) {
      const id = stack.pop()!;
      if (applied.has(id) || mine.has(id)) continue;
      mine.add(id);
      for (const p of map.predecessors(id)) if (!applied.has(p) && !mine.has(p)) stack.push(p);
      const branch = map.get(id).branch;
      for (const dep of map.dependencies(id)) {
        const depBranch = map.get(dep).branch;
        if (depBranch === branch) continue;
        const others = ctx.bindsOn(depBranch);
        if (others.length === 0) {
          throw new RevisionError(
            `Revision '${id}' (branch '${branch}', for bind '${bind}') depends on '${dep}' of branch '${depBranch}', which no bind uses` +
              ` (binds: ${ctx.names.join(', ') || 'none'}). Configure a bind with branch '${depBranch}', or remove the dependency.`,
          );
        }
        for (const other of others) queue.push([other, dep]);
      }
    }
  }

  const drafts = new Map<string, Draft[]>();
  for (const bind of ctx.names) {
    const mine = added.get(bind);
    if (mine?.size) drafts.set(bind, upDrafts(ctx, bind, ctx.sortRows([...mine])));
  }
  const lookup = byBindAndRevision(drafts);
  for (const list of drafts.values()) {
    for (const draft of list) {
      const branch = draft.step.script.branch;
      for (const dep of map.dependencies(draft.step.revision)) {
        const depBranch = map.get(dep).branch;
        if (depBranch === branch) continue;
        for (const other of ctx.bindsOn(depBranch)) {
          const first = lookup.get(other)?.get(dep);
          if (first) {
            first.unblocks.push(draft);
            draft.waits++;
          }
        }
      }
    }
  }
  return freezePlan('up', ctx.order(drafts), ctx.names.filter((b) => selected.has(b) || drafts.has(b)));
}

/**
 * Plans a downgrade (DESIGN §2). `base` downgrades every bind (or `<bind>@base` one);
 * `<bind>` or `<bind>@-N` steps one bind back; a revision downgrades every bind of its branch to
 * it (removing what descends from it; a bind already below it is left alone). With several binds,
 * a bare downgrade (`undefined`) or `-N` needs a bind. Steps run newest first within a bind, and a
 * revision another bind depends on is removed only after that dependent.
 *
 * @param map - the revision map.
 * @param binds - the binds (in config order) with their branch and version-table rows.
 * @param target - the target as written; `undefined` = one step back (only with one bind).
 * @returns the plan.
 * @throws {@link BindRequiredError} for `undefined` or `-N` with several binds (lists them).
 * @throws {@link DependencyError} when an applied revision of another bind depends on a revision
 *   the plan removes and the plan does not remove that dependent too (names both and the binds).
 * @throws {@link MultipleHeadsError} for `-N` from a bind at two heads, or `head` on a branch with two.
 * @throws {@link VersionTableError} when a bind is at a revision no script declares.
 * @throws {@link RevisionError} for `-N` below base, an upgrade target (`+N`), or a revision of a
 *   branch no bind uses; and the target errors of {@link parseTarget}.
 * @example
 * ```ts
 * const plan = planDowngrade(map, [{ bind: 'db2', branch: 'db2', heads: ['3f2a9c1d7b40'] }], 'db2@-1');
 * plan.steps[0]?.headsAfter; // ['1bc594146bb5']
 * ```
 */
export function planDowngrade(map: RevisionMap, binds: readonly BindState[], target: string | undefined): Plan {
  const ctx = new PlanContext(map, binds);
  const keep = new Map<string, readonly string[] | null>(); // null = base
  const concerned: string[] = [];
  const goal = (bind: string, revisions: readonly string[] | null): void => {
    concerned.push(bind);
    const before = keep.get(bind);
    keep.set(bind, before === undefined ? revisions : before === null || revisions === null ? null : [...before, ...revisions]);
  };

  let parsed: RevisionTarget;
  if (target === undefined) {
    if (ctx.names.length > 1) throw new BindRequiredError("'downgrade'", ctx.names);
    if (ctx.names.length === 0) throw new RevisionError('No bind to downgrade.');
    parsed = { kind: 'relative', text: '-1', steps: -1, scope: undefined };
  } else {
    parsed = parseTarget(target, map, binds);
  }
  const text = parsed.text;
  switch (parsed.kind) {
    case 'relative': {
      if (parsed.steps > 0) throw new RevisionError(`'${text}' steps up; use 'upgrade ${text}'.`);
      if (parsed.scope === undefined && ctx.names.length > 1) throw new BindRequiredError(`'downgrade ${text}'`, ctx.names);
      for (const bind of ctx.select(parsed.scope, text)) {
        const reached = ctx.walk(bind, ctx.applied(bind).rows, parsed.steps, text);
        goal(bind, reached.length ? reached : null);
      }
      break;
    }
    case 'bind':
      for (const bind of ctx.select(parsed.scope, text)) {
        const reached = ctx.walk(bind, ctx.applied(bind).rows, -1, text);
        goal(bind, reached.length ? reached : null);
      }
      break;
    case 'base':
      for (const bind of ctx.select(parsed.scope, text)) goal(bind, null);
      break;
    case 'head':
      for (const bind of ctx.select(parsed.scope, text)) {
        const head = ctx.singleHead(bind, parsed.scope, text);
        goal(bind, head === undefined ? null : [head]);
      }
      break;
    case 'heads':
      for (const bind of ctx.select(parsed.scope, text)) {
        const heads = ctx.headsFor(bind, parsed.scope);
        goal(bind, heads.length ? heads : null);
      }
      break;
    case 'revision':
      for (const bind of ctx.select(parsed.scope, text)) goal(bind, [parsed.revision]);
      break;
  }

  // What each bind removes: everything (base), or what descends from the kept revisions.
  const removal = new Map<string, Set<string>>();
  for (const [bind, kept] of keep) {
    const { applied } = ctx.applied(bind);
    let remove: Set<string>;
    if (kept === null) {
      remove = new Set(applied);
    } else {
      remove = new Set();
      const keepSet = new Set(kept);
      const stack = kept.flatMap((k) => map.successors(k));
      while (stack.length) {
        const id = stack.pop()!;
        if (remove.has(id) || keepSet.has(id) || !applied.has(id)) continue;
        remove.add(id);
        stack.push(...map.successors(id));
      }
    }
    removal.set(bind, remove);
  }

  // Refuse to remove what another bind's remaining revisions depend on.
  for (const bind of ctx.names) {
    for (const id of removal.get(bind) ?? []) {
      const branch = map.get(id).branch;
      for (const dependent of map.dependents(id)) {
        const depBranch = map.get(dependent).branch;
        if (depBranch === branch) continue;
        for (const other of ctx.bindsOn(depBranch)) {
          if (ctx.applied(other).applied.has(dependent) && !removal.get(other)?.has(dependent)) {
            throw new DependencyError(id, dependent, other, bind);
          }
        }
      }
    }
  }

  const drafts = new Map<string, Draft[]>();
  for (const bind of ctx.names) {
    const remove = removal.get(bind);
    if (remove?.size) drafts.set(bind, downDrafts(ctx, bind, ctx.sortRows([...remove]).reverse()));
  }
  const lookup = byBindAndRevision(drafts);
  for (const list of drafts.values()) {
    for (const draft of list) {
      const branch = draft.step.script.branch;
      for (const dependent of map.dependents(draft.step.revision)) {
        const depBranch = map.get(dependent).branch;
        if (depBranch === branch) continue;
        for (const other of ctx.bindsOn(depBranch)) {
          const first = lookup.get(other)?.get(dependent);
          if (first) {
            first.unblocks.push(draft);
            draft.waits++;
          }
        }
      }
    }
  }
  const set = new Set(concerned);
  return freezePlan('down', ctx.order(drafts), ctx.names.filter((b) => set.has(b)));
}

/**
 * Plans `stamp`: the version-table rows each selected bind should hold, without running any
 * revision. Targets apply in order, each to the binds it selects: `base` empties the table, a
 * revision replaces the rows on its line (its ancestors and descendants) and keeps rows of other
 * lines, `heads` sets every head, `head`/`<bind>` the single head, `±N` walks from the current
 * rows. Dependencies are not checked (stamp is the repair tool).
 *
 * @param map - the revision map.
 * @param binds - the binds (in config order) with their branch and version-table rows.
 * @param targets - one or more targets as written.
 * @param options - `purge`: ignore the current rows, even ones no script declares.
 * @returns one change per selected bind, in bind order (`from` equal to `to` when nothing changes).
 * @throws {@link VersionTableError} without `purge`, when a bind is at a revision no script declares.
 * @throws {@link RevisionError} for no target, and the target errors of {@link planUpgrade}.
 * @example
 * ```ts
 * const [change] = planStamp(map, [{ bind: 'db2', branch: 'db2', heads: ['gone'] }], ['db2@head'], { purge: true });
 * // change: { bind: 'db2', from: ['gone'], to: ['3f2a9c1d7b40'] }
 * ```
 */
export function planStamp(
  map: RevisionMap,
  binds: readonly BindState[],
  targets: readonly string[],
  options: PlanStampOptions = {},
): readonly StampChange[] {
  if (targets.length === 0) throw new RevisionError("'stamp' needs a target (e.g. head, heads, base, <bind>@head, or a revision).");
  const ctx = new PlanContext(map, binds);
  const purge = options.purge ?? false;
  const rows = new Map<string, string[]>();
  const current = (bind: string): string[] => {
    let r = rows.get(bind);
    if (!r) rows.set(bind, (r = purge ? [] : [...ctx.applied(bind, false).rows]));
    return r;
  };
  const set = (bind: string, to: string[]): void => {
    rows.set(bind, ctx.sortRows(to));
  };
  const stampTo = (bind: string, revision: string): void => {
    const line = new Set([...map.ancestors(revision, { inclusive: true }), ...map.descendants(revision)]);
    set(bind, [...current(bind).filter((r) => !line.has(r)), revision]);
  };

  for (const text of targets) {
    const target = parseTarget(text, map, binds);
    switch (target.kind) {
      case 'heads':
        for (const bind of ctx.select(target.scope, text)) {
          current(bind);
          for (const head of ctx.headsFor(bind, target.scope)) stampTo(bind, head);
        }
        break;
      case 'head':
      case 'bind':
        for (const bind of ctx.select(target.scope, text)) {
          const head = ctx.singleHead(bind, target.scope, text);
          if (head === undefined) set(bind, []);
          else stampTo(bind, head);
        }
        break;
      case 'base':
        for (const bind of ctx.select(target.scope, text)) set(bind, []);
        break;
      case 'relative':
        for (const bind of ctx.select(target.scope, text)) {
          const reached = ctx.walk(bind, current(bind), target.steps, text);
          if (reached.length === 0) set(bind, []);
          else for (const r of reached) stampTo(bind, r);
        }
        break;
      case 'revision':
        for (const bind of ctx.select(target.scope, text)) stampTo(bind, target.revision);
        break;
    }
  }
  return Object.freeze(
    ctx.states
      .filter((s) => rows.has(s.bind))
      .map((s) => Object.freeze({ bind: s.bind, from: Object.freeze([...new Set(s.heads)]), to: Object.freeze(rows.get(s.bind)!) })),
  );
}

/**
 * The cross-bind waits of a plan, for running binds concurrently (DESIGN §8, option
 * `concurrency`): for each step, the indexes (in `plan.steps`) of the steps of other binds that
 * must finish before it starts. A bind's own steps run in order, so they are not listed.
 *
 * Upgrade: step S (bind B, revision r) waits for every earlier step of another bind whose
 * revision is in the transitive cross-branch depends-on of r (each dependency, its ancestry and
 * their depends-on in turn). Downgrade: the reverse — S waits for every earlier step of another
 * bind removing a transitive dependent of r. Only earlier steps are listed, so the waits follow
 * the plan's (valid) global order and can never form a cycle. Binds sharing a branch do not wait
 * for each other through plain ancestry, only through depends-on.
 *
 * @param map - the revision map the plan was made from.
 * @param plan - an upgrade or downgrade plan.
 * @returns one sorted list of step indexes per step of the plan.
 * @throws {@link RevisionNotFoundError} when a step's revision is not in the map.
 * @example
 * ```ts
 * const waits = crossBindWaits(map, plan);
 * // waits[2] = [0]: the third step starts once the first (another bind) has finished.
 * ```
 */
export function crossBindWaits(map: RevisionMap, plan: Plan): readonly (readonly number[])[] {
  const up = plan.direction === 'up';
  // Where each (bind, revision) step sits in the plan.
  const positions = new Map<string, { bind: string; index: number }[]>();
  plan.steps.forEach((step, index) => {
    let list = positions.get(step.revision);
    if (!list) positions.set(step.revision, (list = []));
    list.push({ bind: step.bind, index });
  });
  const closures = new Map<string, readonly string[]>();
  const related = (revision: string): readonly string[] => {
    let out = closures.get(revision);
    if (out) return out;
    const branch = map.get(revision).branch;
    const direct = (up ? map.dependencies(revision) : map.dependents(revision)).filter((d) => map.get(d).branch !== branch);
    out = direct.length === 0 ? [] : up ? map.ancestors(direct, { inclusive: true, crossBranch: true }) : map.descendants(direct, { inclusive: true, crossBranch: true });
    closures.set(revision, out);
    return out;
  };
  return Object.freeze(
    plan.steps.map((step, index) => {
      const waits = new Set<number>();
      for (const revision of related(step.revision)) {
        for (const other of positions.get(revision) ?? []) {
          if (other.bind !== step.bind && other.index < index) waits.add(other.index);
        }
      }
      return Object.freeze([...waits].sort((a, b) => a - b));
    }),
  );
}
