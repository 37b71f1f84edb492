import {
  AmbiguousRevisionError,
  BranchError,
  CycleError,
  DuplicateRevisionError,
  MissingRevisionError,
  MultipleHeadsError,
  RevisionError,
  RevisionNotFoundError,
} from '../errors.js';
import type { RevisionScript } from './revision-script.js';

/**
 * Words a target gives a meaning of its own; no revision id or branch label may be one of them.
 * (`current` is kept for `history -r current:`.)
 */
export const RESERVED_TARGET_NAMES: readonly string[] = Object.freeze(['head', 'heads', 'base', 'current']);

/** Characters allowed in a branch label (and so in a branch folder name). Not exported from the package. */
export const LABEL_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

interface RevisionNode {
  readonly script: RevisionScript;
  /** Down revisions, without repeats. */
  readonly down: readonly string[];
  /** Depends-on as revision ids (a branch label resolved to the revision carrying it), without repeats. */
  deps: readonly string[];
  /** Revisions whose down revisions name this one. */
  children: string[];
  /** Revisions whose depends-on names this one (any branch). */
  dependents: string[];
  /** Down revisions and same-branch depends-on: what a bind must hold before this one. */
  preds: string[];
  /** Children and same-branch dependents. */
  succs: string[];
  /** Position in topological order. */
  index: number;
}

/**
 * The one empty list every node starts its relations with (frozen): a map of 5,000 revisions
 * would otherwise allocate 20,000 arrays, most of which stay empty or hold one id.
 */
const NONE = Object.freeze([]) as readonly string[] as string[];

/** `list` with `id` appended: a new one-element array in place of {@link NONE}. */
function added(list: string[], id: string): string[] {
  if (list === NONE) return [id];
  list.push(id);
  return list;
}

/** Options of {@link RevisionMap.ancestors} and {@link RevisionMap.descendants}. */
export interface AncestryOptions {
  /** Include the starting revisions themselves (default `false`). */
  readonly inclusive?: boolean;
  /**
   * Also follow depends-on into other branches (default `false`: follow down revisions and
   * same-branch depends-on only, i.e. what one bind's version table covers).
   */
  readonly crossBranch?: boolean;
}

/** Options of {@link RevisionMap.walk}. */
export interface WalkOptions {
  /** The branch walked in (its root is where `+N` from base starts). */
  readonly branch: string;
  /** The target as the user wrote it, for messages. */
  readonly argument: string;
  /** The bind concerned, for messages. */
  readonly bind?: string;
  /**
   * Walk up only along the line of this revision (its {@link RevisionMap.lineage}): at a fork,
   * the children off that line are not counted, so `label@+1` follows the labelled line.
   */
  readonly line?: string;
  /**
   * Down, the last step goes to a revision's same-branch depends-on as well as its down revisions
   * (its {@link RevisionMap.predecessors}): what stays applied when a downgrade takes back the
   * revisions stepped over, as Alembic's `downgrade -1` takes back one revision and leaves the
   * revision it depends on. Default `false` (down revisions only).
   */
  readonly throughDependencies?: boolean;
}

function unique(values: readonly string[]): string[] {
  return values.length < 2 ? [...values] : [...new Set(values)];
}

/** `values` without repeats: the list itself when frozen (as a script's are) and too short to repeat. */
function distinct(values: readonly string[]): readonly string[] {
  return values.length < 2 && Object.isFrozen(values) ? values : unique(values);
}

function describe(script: RevisionScript): string {
  return `'${script.revision}' (${script.path})`;
}

/**
 * The revision graph of every branch of a repository (DESIGN §1): pure, built once from the
 * scripts' headers, validated on construction. Building is O(n log n) (one sort of the ids, for
 * deterministic order and prefix look-up); look-ups are O(1), graph walks O(visited).
 *
 * Relations: a revision's *down revisions* are its parents in its branch; *depends-on* names
 * revisions (usually of other branches) that must be applied first. A bind's version table covers
 * one branch, so "ancestors" by default follow down revisions and same-branch depends-on.
 *
 * Order: {@link revisions} is topological (bases first), branches kept together where depends-on
 * allows (sorted by branch name), and a fork's lines one after the other, ids breaking ties.
 *
 * @throws {@link DuplicateRevisionError} two scripts declare one id (names both files).
 * @throws {@link MissingRevisionError} a down revision or depends-on names no revision.
 * @throws {@link BranchError} a branch rule of DESIGN §1 is broken: a branch root without its
 *   folder's name as branch label, two roots in one folder, a down revision in another branch
 *   (a merge across branches), a label naming another branch's folder, a label used twice, a
 *   label equal to a revision id or a reserved word, or a label with characters targets cannot
 *   hold.
 * @throws {@link CycleError} a cycle through down revisions and depends-on (lists it in order).
 * @throws {@link RevisionError} a revision id that is a reserved word (`head`, `heads`, `base`, `current`).
 * @example
 * ```ts
 * const map = new RevisionMap([
 *   { revision: 'a1', downRevisions: [], branchLabels: ['db2'], dependsOn: [], message: 'init', branch: 'db2', path: '/m/versions/db2/a1_init.ts' },
 *   { revision: 'b2', downRevisions: ['a1'], branchLabels: [], dependsOn: [], message: 'add', branch: 'db2', path: '/m/versions/db2/b2_add.ts' },
 * ]);
 * map.heads('db2'); // ['b2']
 * map.resolve('b'); // the script of b2
 * ```
 */
export class RevisionMap {
  readonly #nodes = new Map<string, RevisionNode>();
  /** Every id, sorted (prefix look-up by binary search). */
  readonly #ids: string[];
  readonly #labels = new Map<string, string>();
  readonly #order: readonly RevisionScript[];
  readonly #branches: readonly string[];
  readonly #roots = new Map<string, string>();
  readonly #heads = new Map<string, readonly string[]>();
  readonly #allHeads: readonly string[];
  readonly #allBases: readonly string[];
  /** {@link labelsCarried}, made on first use. */
  #carried: Map<string, readonly string[]> | undefined;

  /**
   * @param scripts - every revision of the repository, in any order (not mutated).
   */
  constructor(scripts: readonly RevisionScript[]) {
    const sorted = [...scripts].sort((a, b) => (a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0));

    // 1. Ids: unique, not reserved.
    for (const script of sorted) {
      const existing = this.#nodes.get(script.revision);
      if (existing) throw new DuplicateRevisionError(script.revision, [existing.script.path, script.path]);
      if (RESERVED_TARGET_NAMES.includes(script.revision)) {
        throw new RevisionError(`Revision id '${script.revision}' (${script.path}) is a reserved word; choose another id.`, 'RESERVED_REVISION_ID');
      }
      this.#nodes.set(script.revision, {
        script,
        down: distinct(script.downRevisions),
        deps: distinct(script.dependsOn),
        children: NONE,
        dependents: NONE,
        preds: NONE,
        succs: NONE,
        index: -1,
      });
    }
    this.#ids = sorted.map((s) => s.revision);
    const branchNames = new Set(sorted.map((s) => s.branch));
    this.#branches = Object.freeze([...branchNames].sort());

    // 2. Branch labels: well formed, unique, no revision id, no other branch's folder.
    for (const script of sorted) {
      for (const label of script.branchLabels) {
        if (!LABEL_PATTERN.test(label) || RESERVED_TARGET_NAMES.includes(label)) {
          throw new BranchError(
            `Branch label '${label}' of revision ${describe(script)} is not allowed: use letters, digits, '_', '.', '-' (not first), and none of ${RESERVED_TARGET_NAMES.join(', ')}.`,
            script.revision,
            script.path,
          );
        }
        const other = this.#labels.get(label);
        if (other !== undefined && other !== script.revision) {
          throw new BranchError(
            `Branch label '${label}' is used by both ${describe(this.#nodes.get(other)!.script)} and ${describe(script)}; labels must be unique.`,
            script.revision,
            script.path,
          );
        }
        if (this.#nodes.has(label)) {
          throw new BranchError(`Branch label '${label}' of revision ${describe(script)} equals a revision id; choose another label.`, script.revision, script.path);
        }
        if (branchNames.has(label) && label !== script.branch) {
          throw new BranchError(
            `Revision ${describe(script)} lives in branch folder '${script.branch}' but carries the branch label '${label}', which is another branch's folder. ` +
              `Move the file to versions/${label}/ or remove the label.`,
            script.revision,
            script.path,
          );
        }
        this.#labels.set(label, script.revision);
      }
    }

    // A depends-on may name a branch label, as in Alembic: the revision that carries it.
    for (const node of this.#nodes.values()) {
      if (node.deps.some((dep) => !this.#nodes.has(dep) && this.#labels.has(dep))) {
        node.deps = distinct(node.deps.map((dep) => (this.#nodes.has(dep) ? dep : (this.#labels.get(dep) ?? dep))));
      }
    }

    // 3. References: they exist, and down revisions stay inside the branch.
    for (const script of sorted) {
      const node = this.#nodes.get(script.revision)!;
      for (const down of node.down) {
        const parent = this.#nodes.get(down);
        if (!parent) throw new MissingRevisionError(script.revision, down, script.path, 'down revision');
        if (parent.script.branch !== script.branch) {
          throw new BranchError(
            `Revision ${describe(script)} in branch '${script.branch}' has down revision '${down}' of branch '${parent.script.branch}'. ` +
              `A down revision must be in the same branch (a merge across branches is refused); use dependsOn to order work across binds.`,
            script.revision,
            script.path,
          );
        }
      }
      for (const dep of node.deps) {
        if (!this.#nodes.has(dep)) throw new MissingRevisionError(script.revision, dep, script.path, 'depends-on revision or branch label');
      }
    }

    // 4. Links (children lists come out in id order because `sorted` is).
    for (const script of sorted) {
      const node = this.#nodes.get(script.revision)!;
      for (const down of node.down) {
        const parent = this.#nodes.get(down)!;
        parent.children = added(parent.children, script.revision);
        parent.succs = added(parent.succs, script.revision);
        node.preds = added(node.preds, down);
      }
      for (const dep of node.deps) {
        const target = this.#nodes.get(dep)!;
        target.dependents = added(target.dependents, script.revision);
        if (target.script.branch === script.branch && !node.preds.includes(dep)) {
          target.succs = added(target.succs, script.revision);
          node.preds = added(node.preds, dep);
        }
      }
    }

    // 5. Roots: one per branch folder, carrying the folder's name as a label.
    for (const script of sorted) {
      const node = this.#nodes.get(script.revision)!;
      if (node.down.length > 0) continue;
      const other = this.#roots.get(script.branch);
      if (other !== undefined) {
        throw new BranchError(
          `Branch '${script.branch}' has two roots: ${describe(this.#nodes.get(other)!.script)} and ${describe(script)}. ` +
            `A branch has one root; give the second a down revision.`,
          script.revision,
          script.path,
        );
      }
      if (!script.branchLabels.includes(script.branch)) {
        throw new BranchError(
          `Revision ${describe(script)} is the root of branch '${script.branch}' but does not carry the branch label '${script.branch}'. ` +
            `Add branchLabels = ['${script.branch}'] (folder and label must agree).`,
          script.revision,
          script.path,
        );
      }
      this.#roots.set(script.branch, script.revision);
    }

    // 6. Topological order (Kahn), staying in one branch while it has ready revisions.
    this.#order = Object.freeze(this.#sort(sorted));

    const heads = new Map<string, string[]>();
    const allHeads: string[] = [];
    const allBases: string[] = [];
    for (const script of this.#order) {
      const node = this.#nodes.get(script.revision)!;
      if (node.succs.length === 0) {
        allHeads.push(script.revision);
        let list = heads.get(script.branch);
        if (!list) heads.set(script.branch, (list = []));
        list.push(script.revision);
      }
      if (node.down.length === 0) allBases.push(script.revision);
    }
    for (const [branch, list] of heads) this.#heads.set(branch, Object.freeze(list));
    this.#allHeads = Object.freeze(allHeads);
    this.#allBases = Object.freeze(allBases);
    for (const node of this.#nodes.values()) {
      Object.freeze(node.children);
      Object.freeze(node.dependents);
      Object.freeze(node.preds);
      Object.freeze(node.succs);
    }
  }

  #sort(sorted: readonly RevisionScript[]): RevisionScript[] {
    const pending = new Map<string, number>();
    const ready = new Map<string, string[]>(); // branch -> stack of ready ids
    for (const branch of this.#branches) ready.set(branch, []);
    for (let i = sorted.length - 1; i >= 0; i--) {
      const script = sorted[i]!;
      const node = this.#nodes.get(script.revision)!;
      const count = node.down.length + node.deps.length;
      pending.set(script.revision, count);
      if (count === 0) ready.get(script.branch)!.push(script.revision);
    }
    const order: RevisionScript[] = [];
    const released: string[] = [];
    let current = this.#branches[0];
    for (;;) {
      let stack = current === undefined ? undefined : ready.get(current);
      if (!stack || stack.length === 0) {
        current = this.#branches.find((b) => ready.get(b)!.length > 0);
        if (current === undefined) break;
        stack = ready.get(current)!;
      }
      const id = stack.pop()!;
      const node = this.#nodes.get(id)!;
      node.index = order.length;
      order.push(node.script);
      released.length = 0;
      for (const next of node.children) if (this.#release(pending, next)) released.push(next);
      for (const next of node.dependents) if (this.#release(pending, next)) released.push(next);
      released.sort();
      for (let i = released.length - 1; i >= 0; i--) {
        const id2 = released[i]!;
        ready.get(this.#nodes.get(id2)!.script.branch)!.push(id2);
      }
    }
    if (order.length < sorted.length) this.#throwCycle(sorted);
    return order;
  }

  #release(pending: Map<string, number>, id: string): boolean {
    const left = pending.get(id)! - 1;
    pending.set(id, left);
    return left === 0;
  }

  #throwCycle(sorted: readonly RevisionScript[]): never {
    const start = sorted.find((s) => this.#nodes.get(s.revision)!.index < 0)!.revision;
    const seen = new Map<string, number>();
    const path: string[] = [];
    let id = start;
    while (!seen.has(id)) {
      seen.set(id, path.length);
      path.push(id);
      const node = this.#nodes.get(id)!;
      // Every revision left unordered has a parent (down revision or depends-on) left unordered.
      id = [...node.down, ...node.deps].find((p) => this.#nodes.get(p)!.index < 0)!;
    }
    const cycle = path.slice(seen.get(id)).reverse();
    throw new CycleError(cycle, cycle.map((r) => this.#nodes.get(r)!.script.path));
  }

  #node(id: string): RevisionNode {
    const node = this.#nodes.get(id);
    if (!node) throw new RevisionNotFoundError(id, `No revision '${id}'.`);
    return node;
  }

  /** Every revision in topological order (bases first). */
  get revisions(): readonly RevisionScript[] {
    return this.#order;
  }

  /** Number of revisions. */
  get size(): number {
    return this.#order.length;
  }

  /** True when a revision with exactly this id exists. */
  has(id: string): boolean {
    return this.#nodes.has(id);
  }

  /**
   * The script of a revision, by full id.
   * @throws {@link RevisionNotFoundError} when no revision has that id.
   * @example
   * ```ts
   * map.get('3f2a9c1d7b40').message;
   * ```
   */
  get(id: string): RevisionScript {
    return this.#node(id).script;
  }

  /**
   * The revision carrying a branch label, if any.
   * @example
   * ```ts
   * map.byLabel('db2')?.revision; // the root of branch db2
   * ```
   */
  byLabel(label: string): RevisionScript | undefined {
    const id = this.#labels.get(label);
    return id === undefined ? undefined : this.#node(id).script;
  }

  /**
   * Resolves a full id, a branch label (its revision) or a unique id prefix, in that order.
   * @throws {@link AmbiguousRevisionError} when a prefix matches several ids (lists every one).
   * @throws {@link RevisionNotFoundError} when nothing matches.
   * @example
   * ```ts
   * map.resolve('3f2a').revision; // '3f2a9c1d7b40'
   * ```
   */
  resolve(ref: string): RevisionScript {
    const exact = this.#nodes.get(ref);
    if (exact) return exact.script;
    const labelled = this.#labels.get(ref);
    if (labelled !== undefined) return this.#node(labelled).script;
    if (ref === '') throw new RevisionNotFoundError(ref, 'Empty revision id.');
    const candidates = this.matching(ref);
    if (candidates.length > 1) throw new AmbiguousRevisionError(ref, candidates);
    if (candidates.length === 0) throw new RevisionNotFoundError(ref, `No revision or branch label matches '${ref}'.`);
    return this.#node(candidates[0]!).script;
  }

  /**
   * Every revision id that starts with `prefix` (sorted; a fresh array; `[]` for an empty prefix).
   * Found by binary search over the sorted ids: O(log n + matches).
   * @example
   * ```ts
   * map.matching('3f2a'); // ['3f2a9c1d7b40']
   * ```
   */
  matching(prefix: string): string[] {
    if (prefix === '') return [];
    let lo = 0;
    let hi = this.#ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#ids[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.#ids.length && this.#ids[i]!.startsWith(prefix); i++) out.push(this.#ids[i]!);
    return out;
  }

  /** Names of every branch (folders under `versions/` holding revisions), sorted (a fresh array). */
  branches(): string[] {
    return [...this.#branches];
  }

  /**
   * Head revisions (ids, topological order): revisions no other revision of their branch revises
   * or depends on. `[]` for a branch with no revisions. A fresh array.
   * @param branch - one branch (default: every branch).
   * @example
   * ```ts
   * if (map.heads('db2').length > 1) console.log('db2 needs a merge');
   * ```
   */
  heads(branch?: string): string[] {
    return [...(branch === undefined ? this.#allHeads : (this.#heads.get(branch) ?? []))];
  }

  /**
   * The heads of its branch that descend from (or are) a revision: what `<rev>@head` reaches. As
   * in Alembic, the way up follows down revisions only, to the revisions nothing revises: a
   * revision that merely depends on one of them is on another line, and a line's last revision
   * counts even when another line depends on it. From a branch root, the branch's heads.
   * @throws {@link RevisionNotFoundError}
   * @example
   * ```ts
   * map.headsFrom(map.resolve('db2').revision); // every head of branch db2
   * map.headsFrom('c2'); // the ends of the line that goes up from c2
   * ```
   */
  headsFrom(id: string): string[] {
    const node = this.#node(id);
    if (this.#roots.get(node.script.branch) === id) return this.heads(node.script.branch);
    return this.#closure(id, { inclusive: true }, (n) => n.children).filter((d) => this.#node(d).children.length === 0);
  }

  /**
   * Base revisions (ids, a fresh array): the root of each branch.
   * @param branch - one branch (default: every branch).
   * @example
   * ```ts
   * map.bases('db2'); // ['a1']
   * ```
   */
  bases(branch?: string): string[] {
    if (branch === undefined) return [...this.#allBases];
    const root = this.#roots.get(branch);
    return root === undefined ? [] : [root];
  }

  /** Position of a revision in {@link revisions}. @throws {@link RevisionNotFoundError} */
  indexOf(id: string): number {
    return this.#node(id).index;
  }

  /**
   * Revisions whose down revisions name this one (ids, in id order); two or more make a branch point.
   * @throws {@link RevisionNotFoundError}
   */
  children(id: string): readonly string[] {
    return this.#node(id).children;
  }

  /** The depends-on of a revision (ids, without repeats). @throws {@link RevisionNotFoundError} */
  dependencies(id: string): readonly string[] {
    return this.#node(id).deps;
  }

  /** Revisions (of any branch) whose depends-on names this one. @throws {@link RevisionNotFoundError} */
  dependents(id: string): readonly string[] {
    return this.#node(id).dependents;
  }

  /**
   * What a bind must hold before this revision: its down revisions and its same-branch depends-on.
   * @throws {@link RevisionNotFoundError}
   */
  predecessors(id: string): readonly string[] {
    return this.#node(id).preds;
  }

  /** The reverse of {@link predecessors}: children and same-branch dependents. @throws {@link RevisionNotFoundError} */
  successors(id: string): readonly string[] {
    return this.#node(id).succs;
  }

  /** True for a head of its branch. @throws {@link RevisionNotFoundError} */
  isHead(id: string): boolean {
    return this.#node(id).succs.length === 0;
  }

  /** True for a branch root (no down revision). @throws {@link RevisionNotFoundError} */
  isBase(id: string): boolean {
    return this.#node(id).down.length === 0;
  }

  /** True when two or more revisions revise this one. @throws {@link RevisionNotFoundError} */
  isBranchPoint(id: string): boolean {
    return this.#node(id).children.length > 1;
  }

  /** True for a merge revision (two or more down revisions). @throws {@link RevisionNotFoundError} */
  isMergePoint(id: string): boolean {
    return this.#node(id).down.length > 1;
  }

  /**
   * The branch labels a revision carries, as Alembic's listings show them (`(default, c2branch)`):
   * its own, those of the revisions it descends from through down revisions, and those of a
   * revision above it when the way down from that one to it passes no fork (a revision two
   * revisions revise, or one that another revision also depends on) and no merge, as Alembic
   * spreads a label. So every revision of a branch carries the branch's name (its root's label).
   * Oldest label first (the order of {@link revisions}), then as declared. A fresh array.
   * @throws {@link RevisionNotFoundError}
   * @example
   * ```ts
   * // a (labelled db2) <- b <- c1, b <- c2 (labelled c2branch)
   * map.labelsCarried('c2'); // ['db2', 'c2branch']
   * map.labelsCarried('b'); // ['db2']
   * ```
   */
  labelsCarried(id: string): string[] {
    this.#node(id);
    this.#carried ??= this.#spreadLabels();
    return [...(this.#carried.get(id) ?? [])];
  }

  /** Alembic's `RevisionMap._add_branches`: where each label spreads, labelled revisions in order. */
  #spreadLabels(): Map<string, readonly string[]> {
    const carried = new Map<string, string[]>();
    const add = (id: string, labels: readonly string[]): void => {
      const list = carried.get(id);
      if (!list) carried.set(id, [...labels]);
      else for (const label of labels) if (!list.includes(label)) list.push(label);
    };
    for (const script of this.#order) {
      const labels = script.branchLabels;
      if (labels.length === 0) continue;
      add(script.revision, labels);
      for (const id of this.#closure(script.revision, {}, (n) => n.children)) add(id, labels);
      // Down from the labelled revision while no fork (children or dependents) and no merge.
      let node = this.#nodes.get(script.revision)!;
      for (;;) {
        const next = node.dependents.length === 0 ? node.children.length : new Set([...node.children, ...node.dependents]).size;
        if (next > 1 || node.down.length > 1) break;
        add(node.script.revision, labels);
        if (node.down.length === 0) break;
        node = this.#nodes.get(node.down[0]!)!;
      }
    }
    return carried;
  }

  /**
   * Every ancestor of the given revisions, in topological order (bases first).
   * @throws {@link RevisionNotFoundError}
   * @example
   * ```ts
   * map.ancestors('c3'); // ['a1', 'b2']
   * map.ancestors(['c3'], { inclusive: true, crossBranch: true });
   * ```
   */
  ancestors(ids: string | readonly string[], options: AncestryOptions = {}): string[] {
    return this.#closure(ids, options, (n) => (options.crossBranch ? [...n.down, ...n.deps] : n.preds));
  }

  /**
   * Every descendant of the given revisions, in topological order.
   * @throws {@link RevisionNotFoundError}
   * @example
   * ```ts
   * map.descendants('a1', { inclusive: true }); // ['a1', 'b2', 'c3']
   * ```
   */
  descendants(ids: string | readonly string[], options: AncestryOptions = {}): string[] {
    return this.#closure(ids, options, (n) => (options.crossBranch ? [...n.children, ...n.dependents] : n.succs));
  }

  /**
   * The line of a revision, as Alembic's branch labels mean it: the revision, its ancestors and
   * its descendants (down revisions and same-branch depends-on), in topological order. A label
   * on one line of a fork names that line (the trunk below the fork belongs to every line); the
   * line of a branch root is the whole branch.
   * @throws {@link RevisionNotFoundError}
   * @example
   * ```ts
   * // a <- b <- c1 <- d1, b <- c2 <- d2
   * map.lineage('c2'); // ['a', 'b', 'c2', 'd2']
   * ```
   */
  lineage(id: string): string[] {
    const node = this.#node(id);
    if (this.#roots.get(node.script.branch) === id) return this.descendants(id, { inclusive: true });
    const out = [...this.ancestors(id, { inclusive: true }), ...this.descendants(id)];
    return out.sort((a, b) => this.#node(a).index - this.#node(b).index);
  }

  #closure(ids: string | readonly string[], options: AncestryOptions, next: (node: RevisionNode) => readonly string[]): string[] {
    const starts = typeof ids === 'string' ? [ids] : ids;
    const seen = new Set<string>();
    const stack: string[] = [];
    for (const id of starts) stack.push(...next(this.#node(id)));
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const n of next(this.#node(id))) if (!seen.has(n)) stack.push(n);
    }
    if (options.inclusive) for (const id of starts) seen.add(id);
    return [...seen].sort((a, b) => this.#node(a).index - this.#node(b).index);
  }

  /**
   * Walks `steps` revisions from a position in one branch: up (`steps > 0`) through children,
   * down (`steps < 0`) through down revisions. A position is a set of heads (`[]` = base; up
   * from base starts at the branch root); this is how `+N`, `-N` and `<rev>±N` are resolved.
   * Stepping down from a merge revision reaches its down revisions together (two heads).
   *
   * @param from - the starting heads (a bind's version-table rows, or one revision).
   * @param steps - a non-zero whole number.
   * @returns the heads reached: one revision, `[]` for base, or the down revisions of a merge.
   * @throws {@link RevisionError} (code `'RELATIVE_STEP'`: the count does not fit where the walk
   *   starts) when the walk goes beyond the head or below base; (code `'REVISION'`) when it starts up from
   *   several revisions (as Alembic, even when only one goes on), or meets a branch point (up;
   *   with `options.line`, only a fork on that line counts) or must go on below a merge point
   *   (down), listing the choices.
   * @throws {@link MultipleHeadsError} when walking down from two heads.
   * @example
   * ```ts
   * map.walk(['b2'], -1, { branch: 'db2', argument: 'db2@-1', bind: 'db2' }); // ['a1']
   * map.walk([], 1, { branch: 'db2', argument: '+1' }); // ['a1']
   * // a <- b <- c1, b <- c2 (labelled c2branch): from b, one step up the line of c2
   * map.walk(['b'], 1, { branch: 'x', argument: 'c2branch@+1', line: 'c2' }); // ['c2']
   * ```
   */
  walk(from: readonly string[], steps: number, options: WalkOptions): readonly string[] {
    const who = options.bind !== undefined ? `Bind '${options.bind}': ` : '';
    const arg = options.argument;
    if (!Number.isSafeInteger(steps) || steps === 0) throw new RevisionError(`${who}'${arg}': a relative step must be a non-zero whole number.`);
    let position = unique(from);
    if (steps > 0) {
      if (position.length > 1) {
        // As Alembic ("Ambiguous upgrade from multiple current revisions"), even where only one of
        // them goes on or both lead to one merge.
        throw new RevisionError(
          `${who}'${arg}' is ambiguous: it starts from several current revisions (${position.join(', ')}). ` +
            // For a bind, its own qualifier: '<rev>@+N' selects every bind of the branch (tenants).
            (options.bind !== undefined
              ? `Step one of them up with '${options.bind}@<rev>+${steps}' (e.g. '${options.bind}@${position[0]}+${steps}'), or name the revision to go to.`
              : `Step one of them up with '<rev>@+${steps}' (e.g. '${position[0]}@+${steps}'), or name the revision to go to.`),
        );
      }
      const line = options.line === undefined ? undefined : new Set(this.lineage(options.line));
      for (let i = 0; i < steps; i++) {
        let next: string[];
        if (position.length === 0) {
          const root = this.#roots.get(options.branch);
          next = root === undefined ? [] : [root];
        } else {
          next = unique(position.flatMap((p) => this.#node(p).children));
        }
        if (line) next = next.filter((n) => line.has(n));
        if (next.length === 0) {
          throw new RevisionError(
            `${who}'${arg}' goes beyond the head of ${options.line === undefined ? '' : `the line of '${options.line}' in `}branch '${options.branch}' (${i === 0 ? 'already at its head' : `only ${i} revision(s) above`}).`,
            'RELATIVE_STEP',
          );
        }
        if (next.length > 1) {
          throw new RevisionError(
            `${who}'${arg}' is ambiguous: after ${i} step(s) the branch '${options.branch}' forks into ${next.join(', ')}. Name the revision instead.`,
          );
        }
        position = next;
      }
      return position;
    }
    if (position.length > 1) {
      // `<head>@-N` walks that head's line only (Alembic's `branch@-1`); a revision to go to below
      // the fork takes back every head above it, which `-1` did not ask for.
      const line = `${position[0]}@-${-steps}`;
      const to = `${options.bind !== undefined ? `${options.bind}@` : ''}${position[0]}-${-steps}`;
      throw new MultipleHeadsError(
        position,
        arg,
        options.branch,
        `A relative downgrade needs one current head: step one head's line back with '<head>@-${-steps}' (e.g. '${line}'), or name the revision to go to (e.g. '${to}', which takes back every head above it).`,
      );
    }
    let merge: string | undefined;
    for (let i = 0; i < -steps; i++) {
      if (position.length > 1) {
        throw new RevisionError(`${who}'${arg}' is ambiguous: '${merge}' merges ${position.join(', ')}. Name the revision instead.`);
      }
      const at = position[0];
      if (at === undefined) {
        throw new RevisionError(`${who}'${arg}' goes below base (${i === 0 ? 'already at base' : `only ${i} revision(s) to step back`}).`, 'RELATIVE_STEP');
      }
      merge = at;
      const node = this.#node(at);
      position = [...(options.throughDependencies && i === -steps - 1 ? node.preds : node.down)];
    }
    return position;
  }
}
