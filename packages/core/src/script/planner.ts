import { BindRequiredError, DependencyError, DowngradeTargetError, MultipleHeadsError, RevisionError, TargetUsageError, VersionTableError, listSome } from '../errors.js';
import type { RevisionMap } from './revision-map.js';
import { guardSharedBranch, parseTarget, type RevisionTarget, type TargetScope } from './revision-target.js';
import type { RevisionScript } from './revision-script.js';

/** A bind as the planner sees it: its branch and the rows of its version table. */
export interface BindState {
  /** The bind's name. */
  readonly bind: string;
  /** The branch its revisions live in (`binds.<name>.branch`, default the bind's name). */
  readonly branch: string;
  /** The rows of the bind's version table: one per current head, `[]` at base. */
  readonly heads: readonly string[];
}

/** One revision to run on one bind. */
export interface PlanStep {
  /** The bind the step runs on. */
  readonly bind: string;
  /** The revision it runs. */
  readonly revision: string;
  /** `'up'`: run `upgrade`; `'down'`: run `downgrade`. */
  readonly direction: 'up' | 'down';
  /** The revision's header and file. */
  readonly script: RevisionScript;
  /** The bind's version-table rows before the step (sorted in revision order; `[]` at base). */
  readonly headsBefore: readonly string[];
  /** The rows after it; the runner writes the difference. */
  readonly headsAfter: readonly string[];
}

/**
 * A target that named a revision or branch label (not a bind) of a branch several binds share,
 * and so selected every one of them (tenants): an upgrade fans out, a downgrade with `allBinds`.
 */
export interface FanOut {
  /** The target as written. */
  readonly target: string;
  /** The shared branch. */
  readonly branch: string;
  /** The binds it selected, in config order. */
  readonly binds: readonly string[];
}

/** What a command will do, in a valid global order (every step's requirements come first). */
export interface Plan {
  /** `'up'` for an upgrade plan, `'down'` for a downgrade plan. */
  readonly direction: 'up' | 'down';
  /**
   * The steps, in an order that runs every step's requirements (down revisions, depends-on) first.
   */
  readonly steps: readonly PlanStep[];
  /**
   * The binds the plan concerns, in the order given: the binds the targets selected, plus binds
   * pulled in through depends-on. A bind may have no steps (already at its target).
   */
  readonly binds: readonly string[];
  /** The targets that selected several binds of one shared branch (`[]` when none did). */
  readonly fanOut: readonly FanOut[];
}

/** Options of {@link planDowngrade}. */
export interface PlanDowngradeOptions {
  /**
   * Act on every bind of a shared branch when the target names one of its revisions or labels
   * (`--all-binds`); without it such a target is refused with a {@link SharedBranchError}.
   * Default `false`.
   */
  readonly allBinds?: boolean;
}

/** What `stamp` writes to one bind's version table. */
export interface StampChange {
  /** The bind whose version table changes. */
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
  /** As {@link PlanDowngradeOptions.allBinds}: stamp every bind of a shared branch (default `false`). */
  readonly allBinds?: boolean;
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
  readonly #lines = new Map<string, ReadonlySet<string>>();

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
            `Restore its script, or rewrite the version table with 'migrate stamp --purge ${bind}@<rev>' (the revision its schema is at).`,
        );
      }
      const branch = this.map.get(row).branch;
      if (branch !== state.branch) {
        throw new VersionTableError(
          bind,
          [row],
          `Bind '${bind}' (branch '${state.branch}') is at revision '${row}' of branch '${branch}'. ` +
            `Check binds.${bind}.branch, or rewrite the version table with 'migrate stamp --purge ${bind}@<rev>' (the revision its schema is at).`,
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

  /**
   * The line a scope's anchor names (RevisionMap.lineage), or undefined for the whole branch (no
   * anchor, or the anchor is the branch root).
   */
  line(scope: TargetScope | undefined): ReadonlySet<string> | undefined {
    const anchor = scope?.anchor;
    if (anchor === undefined || this.map.isBase(anchor)) return undefined;
    let line = this.#lines.get(anchor);
    if (!line) this.#lines.set(anchor, (line = new Set(this.map.lineage(anchor))));
    return line;
  }

  /** The binds a scope selects (every bind when there is no scope). */
  select(scope: TargetScope | undefined, text: string): readonly string[] {
    if (scope === undefined) return this.names;
    if (scope.binds.length === 0) {
      throw new RevisionError(
        `Target '${text}' is in branch '${scope.branch}', which no bind uses` +
          (this.names.length ? ` (binds: ${listSome(this.names.map((b) => `${b} → ${this.branchOf(b)}`))}).` : '.'),
      );
    }
    return scope.binds;
  }

  /**
   * The binds a target that counts revisions (`+N`, `-N`, `head-N`, `base+N`) applies to: without
   * a scope (every bind), those whose branch has revisions, as `head` passes over a branch with
   * none (a bind with no revisions yet, such as `init --multidb`'s second bind); all of them when
   * none has, so the error names one.
   */
  counting(selected: readonly string[], scope: TargetScope | undefined): readonly string[] {
    if (scope !== undefined) return selected;
    const walkable = selected.filter((b) => this.map.heads(this.branchOf(b)).length > 0);
    return walkable.length ? walkable : selected;
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

  /**
   * `throughDependencies`: a downgrade's step back (`-N`, `db2`) also keeps what the revision
   * stepped over depends on in its branch, so it takes back only that revision (as Alembic).
   */
  walk(bind: string, from: readonly string[], steps: number, text: string, scope?: TargetScope, throughDependencies = false): readonly string[] {
    const line = this.line(scope) === undefined ? undefined : scope!.anchor;
    return this.map.walk(from, steps, {
      branch: this.branchOf(bind),
      argument: text,
      bind,
      ...(line !== undefined ? { line } : {}),
      ...(throughDependencies ? { throughDependencies } : {}),
    });
  }

  /**
   * Where `+N`/`-N` start for a bind under a scope: its rows, or with a line (`label@±N`) its rows
   * on that line. Up, a line with none of the rows starts where the bind's applied revisions leave
   * it (the fork point), or at base (as Alembic does). Down, it is refused: stepping back along a
   * line the bind is not on would undo the trunk under another line.
   */
  relative(bind: string, scope: TargetScope | undefined, steps: number, text: string, rows: readonly string[] = this.applied(bind).rows): readonly string[] {
    const line = this.line(scope);
    if (line === undefined) return this.walk(bind, rows, steps, text, undefined, steps < 0);
    let start = rows.filter((r) => line.has(r));
    if (start.length === 0) {
      if (steps < 0) {
        throw new RevisionError(
          `Bind '${bind}': '${text}' steps back along the line of '${scope!.name}', but none of its current revisions (${rows.join(', ') || '<base>'}) is on that line. ` +
            `Name the revision to go back to instead (e.g. '${bind}@<rev>').`,
        );
      }
      const applied = rows.length ? this.map.ancestors(rows, { inclusive: true }) : [];
      const onLine = new Set(applied.filter((r) => line.has(r)));
      start = [...onLine].filter((r) => !this.map.successors(r).some((s) => onLine.has(s)));
    }
    return this.walk(bind, start, steps, text, scope, steps < 0);
  }

  /** The revisions `head-N` or `base+N` reach for a bind (`[]`: base). */
  offset(bind: string, target: Extract<RevisionTarget, { kind: 'offset' }>): readonly string[] {
    if (target.from === 'base') return this.walk(bind, [], target.steps, target.text, target.scope);
    const head = this.singleHead(bind, target.scope, target.text);
    if (head === undefined) throw new RevisionError(`Bind '${bind}': '${target.text}' counts back from the head of branch '${this.branchOf(bind)}', which has no revisions.`);
    return this.walk(bind, [head], target.steps, target.text);
  }

  /**
   * What a bind removes to come down to `keep` (the heads to keep; `[]` = base). With a line
   * (`label@<rev>`, `label@-N`, `label@base`; `qualified`: written with `Q@`, as a bare label
   * names only its revision), only that line comes down, as Alembic's branch labels do: where
   * `keep` forks, only the children the labelled revision descends from go, with what descends
   * from them ({@link forkBelowLabel}: none); to base, only what the rows off the line do not
   * imply goes. A bind already at or below `keep` removes nothing. A revision that depends on one
   * of `keep` (same branch) stays, as in Alembic.
   */
  removal(bind: string, keep: readonly string[], scope: TargetScope | undefined, qualified: boolean): Set<string> {
    const { rows, applied } = this.applied(bind);
    const line = this.line(scope);
    const below = line === undefined || !qualified ? undefined : this.#leadingTo(scope!.anchor!);
    if (keep.length === 0) {
      if (line === undefined) return new Set(applied);
      const others = rows.filter((r) => !line.has(r));
      const kept = new Set(others.length ? this.map.ancestors(others, { inclusive: true }) : []);
      return new Set([...applied].filter((r) => !kept.has(r)));
    }
    // What `keep` needs stays, even when one kept revision leads to another (a merge whose down
    // revisions are linked through same-branch depends-on).
    const keepSet = new Set(this.map.ancestors(keep, { inclusive: true }));
    const remove = new Set<string>();
    // As Alembic: what comes down starts at the children of `keep` (down revisions), then takes
    // what descends from them or depends on them. A revision that depends on a kept one stays:
    // what it depends on is still there.
    // Along a line, at a fork only the children the labelled revision descends from (Alembic).
    const stack = keep.flatMap((k) => {
      const children = this.map.children(k);
      return below !== undefined && children.length > 1 ? children.filter((id) => below.has(id)) : children;
    });
    while (stack.length) {
      const id = stack.pop()!;
      if (remove.has(id) || keepSet.has(id) || !applied.has(id)) continue;
      remove.add(id);
      stack.push(...this.map.successors(id));
    }
    return remove;
  }

  /**
   * Along a label's line (`label@<rev>`, `label@-N`), the first revision to come down to that
   * forks with no child leading to the labelled revision (the label sits at or below the fork):
   * Alembic refuses it ("Not a valid downgrade target from current heads"), as nothing on the
   * label's line lies above it. `undefined` when there is none, or no line.
   */
  forkBelowLabel(keep: readonly string[], scope: TargetScope | undefined): string | undefined {
    if (this.line(scope) === undefined) return undefined;
    const below = this.#leadingTo(scope!.anchor!);
    return keep.find((k) => {
      const children = this.map.children(k);
      return children.length > 1 && !children.some((id) => below.has(id));
    });
  }

  /** The labelled revision and its ancestors: what leads to it. */
  #leadingTo(anchor: string): ReadonlySet<string> {
    return new Set(this.map.ancestors(anchor, { inclusive: true }));
  }

  /** The rows a stamp to base leaves: none, or with a line the rows off that line. */
  stampBase(rows: readonly string[], scope: TargetScope | undefined): string[] {
    const line = this.line(scope);
    return line === undefined ? [] : rows.filter((r) => !line.has(r));
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

function freezePlan(direction: 'up' | 'down', steps: PlanStep[], binds: readonly string[], fanOut: readonly FanOut[]): Plan {
  return Object.freeze({ direction, steps: Object.freeze(steps), binds: Object.freeze([...binds]), fanOut: Object.freeze([...fanOut]) });
}

/** Records a target that selected several binds of one branch through a revision or label. */
function noteFanOut(fanOut: FanOut[], target: RevisionTarget, selected: readonly string[]): void {
  const scope = target.scope;
  if (scope === undefined || scope.via === 'bind' || selected.length < 2) return;
  fanOut.push(Object.freeze({ target: target.text.trim(), branch: scope.branch, binds: Object.freeze([...selected]) }));
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
function upgradeDestinations(ctx: PlanContext, target: RevisionTarget, want: (bind: string, revision?: string) => void): readonly string[] {
  const text = target.text;
  const selected = ctx.select(target.scope, text);
  switch (target.kind) {
    case 'heads':
      for (const bind of selected) {
        want(bind);
        for (const head of ctx.headsFor(bind, target.scope)) want(bind, head);
      }
      break;
    case 'head':
    case 'bind':
      for (const bind of selected) want(bind, ctx.singleHead(bind, target.scope, text));
      break;
    case 'base':
      if (target.walkedFrom !== undefined) throw upgradeToBase(undefined, text, ctx.map.get(target.walkedFrom).branch);
      for (const bind of selected) want(bind);
      break;
    case 'relative':
      if (target.steps < 0) throw new TargetUsageError(`'${text}' steps down; use 'downgrade ${text.trim()}'.`);
      for (const bind of ctx.counting(selected, target.scope)) want(bind, ctx.relative(bind, target.scope, target.steps, text)[0]);
      break;
    case 'offset':
      for (const bind of ctx.counting(selected, target.scope)) {
        want(bind);
        const reached = ctx.offset(bind, target);
        if (reached.length === 0) throw upgradeToBase(bind, text, ctx.branchOf(bind));
        for (const revision of reached) want(bind, revision);
      }
      break;
    case 'revision':
      for (const bind of selected) want(bind, target.revision);
      break;
  }
  return selected;
}

/** How a bare `downgrade` (`-N`) could name a bind: the first that has something to take back. */
function downgradeExample(ctx: PlanContext, steps: string): string {
  const bind = ctx.states.find((s) => s.heads.length > 0)?.bind ?? ctx.names[0]!;
  return `'${bind}' or '${bind}@${steps}'`;
}

/**
 * `upgrade <rev>-N` or `upgrade head-N` that walks down to base: Alembic refuses it (its walk
 * reaches "base", which is no revision to upgrade to), unlike `upgrade base`, which names base
 * and does nothing. An upgrade never goes down, so a silent no-op would hide a miscounted target.
 */
function upgradeToBase(bind: string | undefined, text: string, branch: string): RevisionError {
  const t = text.trim();
  return new RevisionError(
    `${bind !== undefined ? `Bind '${bind}': ` : ''}'${t}' steps below the first revision of branch '${branch}', to base; an upgrade cannot go to base ('downgrade ${t}' does).`,
  );
}

/**
 * Plans an upgrade of one or more binds (DESIGN §2). Each target applies to the binds it selects:
 * `head`, `heads`, `base`, `+N` to every bind; `<bind>…` and label qualifiers to their binds; a
 * revision to every bind of its branch (`<bind>@<rev>` to that bind). A label of one line of a fork
 * follows that line (Alembic's semantics): `label@+N` walks up it from the bind's revision on it
 * (or from where the line forks off what the bind holds), `label@head-N`/`label@base+N` count
 * along it. A revision or label of a branch several binds share fans out to all of them; the plan
 * records it in {@link Plan.fanOut}. Revisions those need through depends-on in other branches
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
 * @throws {@link TargetUsageError} for a malformed target or a downgrade target (`-N`).
 * @throws {@link RevisionError} for `+N` beyond head, `<rev>-N` or `head-N` that reaches base (as
 *   in Alembic; `base` itself plans nothing), a revision of a branch no bind uses, or a
 *   depends-on in a branch no bind uses.
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
  const fanOut: FanOut[] = [];
  for (const text of targets.length ? targets : ['head']) {
    const target = parseTarget(text, map, binds);
    const chosen = upgradeDestinations(ctx, target, (bind, revision) => {
      selected.add(bind);
      if (revision !== undefined) queue.push([bind, revision]);
    });
    noteFanOut(fanOut, target, chosen);
  }
  // Every selected bind's rows are checked, not only those of binds with a revision to reach: a
  // bind at a revision no script declares cannot be planned from, even on a branch that has no
  // revision yet (`head` there wants nothing).
  for (const bind of selected) ctx.applied(bind);

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
              ` (binds: ${listSome(ctx.names) || 'none'}). Configure a bind with branch '${depBranch}', or remove the dependency.`,
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
  return freezePlan('up', ctx.order(drafts), ctx.names.filter((b) => selected.has(b) || drafts.has(b)), fanOut);
}

/**
 * Plans a downgrade (DESIGN §2). `base` downgrades every bind (or `<bind>@base` one);
 * `<bind>` or `<bind>@-N` steps one bind back; a revision downgrades every bind of its branch to
 * it (removing what descends from it; a bind below it is refused, see below); `head-N` and
 * `base+N` count from each bind's head or base. With a label (or revision) qualifier on a forked
 * branch only that label's line comes down, as in Alembic: `c1branch@<rev>` removes the child of
 * `<rev>` on the line of c1branch and what descends from it, `c1branch@-1` steps that line back
 * from the bind's revision on it, and `c1branch@base` removes what the rows off that line do not
 * need. A target naming a revision or label (not a bind) of a branch several binds share is
 * refused unless `options.allBinds`. With several binds, a bare downgrade (`undefined`) or `-N`
 * needs a bind. Steps run newest first within a bind, and a revision another bind depends on is
 * removed only after that dependent.
 *
 * A revision target (or `head`, `heads`, `head-N`, `base+N`) that the bind has not applied is refused, as
 * Alembic refuses it ({@link DowngradeTargetError}); the bind's current revision itself plans
 * nothing. On purpose unlike Alembic (one version table there, one per bind here): `-1` from two
 * heads is refused rather than stepping back whichever row comes first; of several binds of a
 * shared branch (`allBinds`; tenants stand at different revisions), one already below the target
 * is left alone as long as another has it applied; removing a revision another bind depends on is
 * refused ({@link DependencyError}) rather than taking the dependent down too.
 *
 * @param map - the revision map.
 * @param binds - the binds (in config order) with their branch and version-table rows.
 * @param target - the target as written; `undefined` = one step back (only with one bind).
 * @param options - `allBinds`: act on every bind of a shared branch (default `false`).
 * @returns the plan.
 * @throws {@link SharedBranchError} for a revision or label of a shared branch without `allBinds`
 *   (lists the binds, and the target naming one of them).
 * @throws {@link BindRequiredError} for `undefined` or `-N` with several binds (lists them).
 * @throws {@link DowngradeTargetError} when no bind the target selects has its revision applied
 *   (names the binds, the target and their current heads).
 * @throws {@link RevisionError} (code `'DOWNGRADE_TARGET'`) when a target along a label's line
 *   (`label@<rev>`, `label@base+N`) is not a current row of the bind and nothing above it on that
 *   line is applied, or forks with the label at or below the fork (no child leads to it, even
 *   from the target itself), as Alembic ("not a valid downgrade target").
 * @throws {@link DependencyError} when an applied revision of another bind depends on a revision
 *   the plan removes and the plan does not remove that dependent too (names both and the binds).
 * @throws {@link MultipleHeadsError} for `-N` from a bind at two heads, or `head` on a branch with two.
 * @throws {@link VersionTableError} when a bind is at a revision no script declares.
 * @throws {@link RevisionError} for `-N` below base, an upgrade target (`+N`), a revision of a
 *   branch no bind uses, or `label@-N` for a bind with no revision on that line; and the target
 *   errors of {@link parseTarget}.
 * @example
 * ```ts
 * const plan = planDowngrade(map, [{ bind: 'db2', branch: 'db2', heads: ['3f2a9c1d7b40'] }], 'db2@-1');
 * plan.steps[0]?.headsAfter; // ['1bc594146bb5']
 * const tenants = [{ bind: 't1', branch: 'tenant', heads: ['c2'] }, { bind: 't2', branch: 'tenant', heads: ['c2'] }];
 * planDowngrade(map, tenants, 'c1', { allBinds: true }); // both tenants back to c1
 * ```
 */
export function planDowngrade(map: RevisionMap, binds: readonly BindState[], target: string | undefined, options: PlanDowngradeOptions = {}): Plan {
  const ctx = new PlanContext(map, binds);
  const removal = new Map<string, Set<string>>();
  const concerned: string[] = [];
  /** Binds a target revision is not applied on (the target is above them): see {@link DowngradeTargetError}. */
  const above: { bind: string; heads: readonly string[] }[] = [];
  /** Binds with nothing above the target on the target's line (`label@<rev>`): see below. */
  const offLine: { bind: string; heads: readonly string[] }[] = [];
  /** Binds whose target forks below the label's revision (`label@<rev>` at or above the label): see below. */
  const forked: { bind: string; fork: string }[] = [];
  /**
   * The bind comes down to `keep` (`[]` = base), along the scope's line when it has one.
   * `destination`: `keep` names the target's revisions, which the bind must have applied.
   */
  const goal = (bind: string, keep: readonly string[], scope: TargetScope | undefined, destination = false): void => {
    const qualified = text.includes('@');
    const fork = qualified ? ctx.forkBelowLabel(keep, scope) : undefined;
    if (fork !== undefined) {
      forked.push({ bind, fork });
      return;
    }
    if (destination) {
      const { rows, applied } = ctx.applied(bind);
      if (!keep.every((k) => applied.has(k))) {
        above.push({ bind, heads: rows });
        return;
      }
    }
    const remove = ctx.removal(bind, keep, scope, qualified);
    if (destination && remove.size === 0 && ctx.line(scope) !== undefined) {
      // As Alembic ("not a valid downgrade target"): along a line the bind has nothing above the
      // target on, a target that is not one of its rows takes back nothing.
      const { rows } = ctx.applied(bind);
      if (!keep.every((k) => rows.includes(k))) {
        offLine.push({ bind, heads: rows });
        return;
      }
    }
    concerned.push(bind);
    const before = removal.get(bind);
    if (before) for (const id of remove) before.add(id);
    else removal.set(bind, remove);
  };

  let parsed: RevisionTarget;
  if (target === undefined) {
    if (ctx.names.length > 1) throw new BindRequiredError("'downgrade'", ctx.names, downgradeExample(ctx, '-1'));
    if (ctx.names.length === 0) throw new RevisionError('No bind to downgrade.');
    parsed = { kind: 'relative', text: '-1', steps: -1, scope: undefined };
  } else {
    parsed = parseTarget(target, map, binds);
  }
  guardSharedBranch(parsed, map, 'downgrade', options.allBinds ?? false);
  const text = parsed.text;
  const scope = parsed.scope;
  // A target that counts revisions passes over binds with none (see PlanContext.counting).
  const selected = parsed.kind === 'offset' ? ctx.counting(ctx.select(scope, text), scope) : ctx.select(scope, text);
  switch (parsed.kind) {
    case 'relative':
      if (parsed.steps > 0) throw new TargetUsageError(`'${text}' steps up; use 'upgrade ${text.trim()}'.`);
      if (scope === undefined && ctx.names.length > 1) throw new BindRequiredError(`'downgrade ${text.trim()}'`, ctx.names, downgradeExample(ctx, text.trim()));
      for (const bind of selected) goal(bind, ctx.relative(bind, scope, parsed.steps, text), scope);
      break;
    case 'bind':
      for (const bind of selected) goal(bind, ctx.walk(bind, ctx.applied(bind).rows, -1, text, undefined, true), undefined);
      break;
    case 'base':
      for (const bind of selected) goal(bind, [], scope);
      break;
    case 'head':
      for (const bind of selected) {
        const head = ctx.singleHead(bind, scope, text);
        goal(bind, head === undefined ? [] : [head], scope, true);
      }
      break;
    case 'heads':
      // As `head`: a bind below its heads (or with one of two heads applied) would go up.
      for (const bind of selected) goal(bind, ctx.headsFor(bind, scope), scope, true);
      break;
    case 'offset':
      for (const bind of selected) goal(bind, ctx.offset(bind, parsed), scope, true);
      break;
    case 'revision':
      for (const bind of selected) goal(bind, [parsed.revision], scope, true);
      break;
  }
  // A target none of its binds has applied would go up (Alembic refuses it too). Of a shared
  // branch's binds (tenants at different revisions), those already below it are left alone.
  if (forked.length) {
    // As Alembic: of the fork's children, none leads to the label, so none is on its line. Not
    // left alone as a tenant below the target is (`label@-N` lands each bind elsewhere): that bind
    // is not below it, and the others coming down without it would go unsaid.
    const [{ bind, fork }] = forked as [{ bind: string; fork: string }];
    const others = forked.length > 1 ? ` (and ${forked.length - 1} other bind${forked.length > 2 ? 's' : ''}: ${listSome(forked.slice(1).map((f) => f.bind))})` : '';
    throw new RevisionError(
      `Bind '${bind}'${others}: destination '${text.trim()}' is not a valid downgrade target: '${scope!.name}' is at or below the fork at '${fork}', so no line above '${fork}' leads to it. ` +
        `Name the revision on the line to go back to (e.g. '${map.children(fork)[0]}'), or '${bind}@${fork}' to take back every line above '${fork}'.`,
      'DOWNGRADE_TARGET',
    );
  }
  // Per branch: a bind alone on its branch (`heads` over every bind, one of them below its heads)
  // is refused, not left alone because another branch's binds are at the target.
  const aboveBranches = new Set(above.map((a) => ctx.branchOf(a.bind)));
  for (const branch of aboveBranches) {
    if (selected.every((b) => ctx.branchOf(b) !== branch || above.some((a) => a.bind === b))) {
      throw new DowngradeTargetError(text.trim(), above.filter((a) => ctx.branchOf(a.bind) === branch));
    }
  }
  if (offLine.length && above.length + offLine.length === selected.length) {
    const [first] = offLine;
    throw new RevisionError(
      `Bind '${first!.bind}': destination '${text.trim()}' is not a valid downgrade target from current head(s) ${first!.heads.join(', ') || '<base>'}: ` +
        `nothing above it on the line of '${scope!.name}' is applied, so it would take nothing back. ` +
        `Name a revision on a line the bind is on ('migrate history --indicate-current' shows where it stands).`,
      'DOWNGRADE_TARGET',
    );
  }
  const fanOut: FanOut[] = [];
  noteFanOut(fanOut, parsed, selected);

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
  return freezePlan('down', ctx.order(drafts), ctx.names.filter((b) => set.has(b)), fanOut);
}

/**
 * Plans `stamp`: the version-table rows each selected bind should hold, without running any
 * revision. Targets apply in order, each to the binds it selects: `base` empties the table
 * (`label@base`: removes only the rows on that label's line), a revision replaces the rows on its
 * line (its ancestors and descendants) and keeps rows of other lines (`Q@<rev>`, when a row is on
 * the revision's line, also replaces the rows on Q's line, as Alembic: `<bind>@<rev>` then leaves
 * the bind at exactly `<rev>`), `heads` sets every head,
 * `head`/`<bind>` the single head, `±N` walks from the current rows (`label@±N` along that line),
 * `head-N`/`base+N` count from head or base. Dependencies are not checked (stamp is the repair
 * tool). A target naming a revision or label of a shared branch is refused unless `allBinds`.
 *
 * @param map - the revision map.
 * @param binds - the binds (in config order) with their branch and version-table rows.
 * @param targets - one or more targets as written.
 * @param options - `purge`: ignore the current rows, even ones no script declares; `allBinds`:
 *   stamp every bind of a shared branch.
 * @returns one change per selected bind, in bind order (`from` equal to `to` when nothing changes).
 * @throws {@link VersionTableError} without `purge`, when a bind is at a revision no script declares.
 * @throws {@link SharedBranchError} as {@link planDowngrade}.
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
  /**
   * Replaces the rows on the revision's line with it. `qualifier`: the scope of `Q@<rev>`. As
   * Alembic's stamp replaces every head sharing a lineage with the label or the revision once one
   * of them is on the revision's line, the rows on Q's line go too then (`<bind>@<rev>`: the
   * bind's name is its branch root's label, so every row).
   */
  const stampTo = (bind: string, revision: string, qualifier?: TargetScope): void => {
    const line = new Set([...map.ancestors(revision, { inclusive: true }), ...map.descendants(revision)]);
    const rows = current(bind);
    let wide: ReadonlySet<string> | 'all' | undefined;
    if (qualifier !== undefined && rows.some((r) => line.has(r))) {
      wide = qualifier.via === 'bind' ? 'all' : qualifier.anchor === undefined ? undefined : new Set(map.lineage(qualifier.anchor));
    }
    const keep = (r: string): boolean => !line.has(r) && wide !== 'all' && !(wide?.has(r) ?? false);
    set(bind, [...rows.filter(keep), revision]);
  };

  const toBase = (bind: string, scope: TargetScope | undefined): void => set(bind, ctx.stampBase(current(bind), scope));
  const stampAll = (bind: string, reached: readonly string[], scope: TargetScope | undefined): void => {
    if (reached.length === 0) toBase(bind, scope);
    else for (const r of reached) stampTo(bind, r);
  };

  for (const text of targets) {
    const target = parseTarget(text, map, binds);
    guardSharedBranch(target, map, 'stamp', options.allBinds ?? false);
    const scope = target.scope;
    const selected = ctx.select(scope, text);
    switch (target.kind) {
      case 'heads':
        for (const bind of selected) {
          current(bind);
          for (const head of ctx.headsFor(bind, scope)) stampTo(bind, head);
        }
        break;
      case 'head':
      case 'bind':
        for (const bind of selected) {
          const head = ctx.singleHead(bind, scope, text);
          stampAll(bind, head === undefined ? [] : [head], undefined);
        }
        break;
      case 'base':
        for (const bind of selected) toBase(bind, scope);
        break;
      case 'relative':
        for (const bind of ctx.counting(selected, scope)) stampAll(bind, ctx.relative(bind, scope, target.steps, text, current(bind)), scope);
        break;
      case 'offset':
        for (const bind of ctx.counting(selected, scope)) stampAll(bind, ctx.offset(bind, target), scope);
        break;
      case 'revision':
        for (const bind of selected) stampTo(bind, target.revision, target.text.includes('@') ? scope : undefined);
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
