import { RevisionError, RevisionNotFoundError, UnknownBindError } from '../errors.js';
import type { RevisionMap } from './revision-map.js';
import type { RevisionScript } from './revision-script.js';


/** A bind and the branch its revisions live in (`binds.<name>.branch`, default the bind's name). */
export interface BindBranch {
  readonly bind: string;
  readonly branch: string;
}

/**
 * What a qualifier names: the `db2` of `db2@head`, a bare bind name, a branch label, or a
 * revision. It selects the binds whose branch it belongs to.
 */
export interface TargetScope {
  /** How the qualifier was given. */
  readonly via: 'bind' | 'label' | 'revision';
  /** The qualifier as written (bind name, branch label, or revision prefix). */
  readonly name: string;
  /** The branch the selected binds share. */
  readonly branch: string;
  /** The binds selected, in the order given to {@link parseTarget} (may be empty for a label or revision). */
  readonly binds: readonly string[];
  /**
   * For a label or revision qualifier: the revision it names. `@head` then reaches only the heads
   * that descend from it (for a branch root, every head of the branch).
   */
  readonly anchor: string | undefined;
}

/**
 * A parsed target (DESIGN §2). `scope` undefined means "every bind".
 * - `heads`: every head (`heads`, `Q@heads`);
 * - `head`: the one head of each selected bind's branch (`head`, `Q@head`);
 * - `base`: nothing applied (`base`, `Q@base`, or `<rev>-N` that steps below the branch root);
 * - `relative`: `steps` from each selected bind's current revision (`+N`, `-N`, `Q@+N`, `Q@-N`);
 * - `revision`: one revision (`<rev prefix>`, `<rev>+N`, `<rev>-N`, a label of a non-root revision);
 *   its scope selects the binds of its branch;
 * - `bind`: a bare bind name or the label of a branch root: on upgrade its head, on downgrade one
 *   step back, on stamp its head.
 */
export type RevisionTarget =
  | { readonly kind: 'heads'; readonly text: string; readonly scope: TargetScope | undefined }
  | { readonly kind: 'head'; readonly text: string; readonly scope: TargetScope | undefined }
  | { readonly kind: 'base'; readonly text: string; readonly scope: TargetScope | undefined }
  | { readonly kind: 'relative'; readonly text: string; readonly steps: number; readonly scope: TargetScope | undefined }
  | { readonly kind: 'revision'; readonly text: string; readonly revision: string; readonly scope: TargetScope }
  | { readonly kind: 'bind'; readonly text: string; readonly scope: TargetScope };

const RELATIVE = /^([+-])(\d+)$/;
const REVISION_RELATIVE = /^(.+?)([+-])(\d+)$/;

function parseSteps(sign: string, digits: string, text: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RevisionError(`'${text}': a relative step needs a whole number of at least 1 (e.g. '+1', '-2').`);
  }
  return sign === '-' ? -n : n;
}

function bindsOnBranch(binds: readonly BindBranch[], branch: string): string[] {
  return binds.filter((b) => b.branch === branch).map((b) => b.bind);
}

function revisionScope(via: 'label' | 'revision', name: string, script: RevisionScript, binds: readonly BindBranch[]): TargetScope {
  return Object.freeze({ via, name, branch: script.branch, binds: Object.freeze(bindsOnBranch(binds, script.branch)), anchor: script.revision });
}

function bindScope(bind: BindBranch): TargetScope {
  return Object.freeze({ via: 'bind', name: bind.bind, branch: bind.branch, binds: Object.freeze([bind.bind]), anchor: undefined });
}

function notFound(text: string, binds: readonly BindBranch[]): RevisionNotFoundError {
  const names = binds.map((b) => b.bind);
  return new RevisionNotFoundError(
    text,
    `No revision, bind or branch label matches '${text}'.` +
      (names.length ? ` Binds: ${names.join(', ')}.` : '') +
      ` Targets: head, heads, base, +N, -N, <bind>, <bind>@head, <bind>@base, <bind>@+N, <bind>@-N, <rev>, <rev>+N, <rev>-N, <rev>@head.`,
  );
}

/** Resolves the `Q` of `Q@…`: a bind name first, then a branch label, then a revision prefix. */
function resolveScope(q: string, map: RevisionMap, binds: readonly BindBranch[]): TargetScope {
  const bind = binds.find((b) => b.bind === q);
  if (bind) return bindScope(bind);
  const labelled = map.byLabel(q);
  if (labelled) return revisionScope('label', q, labelled, binds);
  let script: RevisionScript;
  try {
    script = map.resolve(q);
  } catch (error) {
    if (error instanceof RevisionNotFoundError) throw new UnknownBindError(q, binds.map((b) => b.bind));
    throw error;
  }
  return revisionScope('revision', q, script, binds);
}

/**
 * Parses and resolves a target against the revision map and the binds (DESIGN §2). Names are
 * tried in this order: the keywords `head`, `heads`, `base`; a bind name (so bind `db2` wins over
 * the hex prefix `db2`, and bind `shard-1` over `shard` minus one); a branch label; `+N`/`-N`;
 * `Q@head|heads|base|+N|-N` (Q a bind, label or revision prefix); `<rev>+N`/`<rev>-N`; a
 * revision id or unique prefix.
 *
 * @param text - the target as the user wrote it (surrounding spaces are ignored).
 * @param map - the revision map.
 * @param binds - the configured binds with their branches (default none: labels and revisions only).
 * @returns the resolved target; revision prefixes become full ids and `<rev>±N` is walked.
 * @throws {@link UnknownBindError} for `foo@head` when `foo` is no bind, label or revision (lists binds).
 * @throws {@link AmbiguousRevisionError} when a prefix matches several revisions (lists them).
 * @throws {@link RevisionNotFoundError} when nothing matches.
 * @throws {@link RevisionError} for a malformed target, or `<rev>±N` that leaves the branch or
 *   meets a branch point (`+N`) or merge point (`-N`).
 * @example
 * ```ts
 * const map = new RevisionMap(scripts);
 * const target = parseTarget('db2@-1', map, [{ bind: 'db2', branch: 'db2' }]);
 * // { kind: 'relative', steps: -1, scope: { via: 'bind', name: 'db2', binds: ['db2'], … } }
 * ```
 */
export function parseTarget(text: string, map: RevisionMap, binds: readonly BindBranch[] = []): RevisionTarget {
  const t = text.trim();
  if (t === '') throw new RevisionError('Empty revision target: give head, heads, base, a bind, or a revision.');
  if (t === 'head' || t === 'heads' || t === 'base') return Object.freeze({ kind: t, text, scope: undefined });

  const bind = binds.find((b) => b.bind === t);
  if (bind) return Object.freeze({ kind: 'bind', text, scope: bindScope(bind) });

  const labelled = map.byLabel(t);
  if (labelled) {
    const scope = revisionScope('label', t, labelled, binds);
    return map.isBase(labelled.revision)
      ? Object.freeze({ kind: 'bind', text, scope })
      : Object.freeze({ kind: 'revision', text, revision: labelled.revision, scope });
  }

  const relative = RELATIVE.exec(t);
  if (relative) return Object.freeze({ kind: 'relative', text, steps: parseSteps(relative[1]!, relative[2]!, t), scope: undefined });

  const at = t.lastIndexOf('@');
  if (at >= 0) {
    const q = t.slice(0, at);
    const rest = t.slice(at + 1);
    if (q === '') throw new RevisionError(`'${t}': name a bind, branch label or revision before '@'.`);
    const scope = resolveScope(q, map, binds);
    if (rest === 'head' || rest === 'heads' || rest === 'base') return Object.freeze({ kind: rest, text, scope });
    const step = RELATIVE.exec(rest);
    if (step) return Object.freeze({ kind: 'relative', text, steps: parseSteps(step[1]!, step[2]!, t), scope });
    throw new RevisionError(`'${t}': after '@' give head, heads, base, +N or -N.`);
  }

  const fromRevision = REVISION_RELATIVE.exec(t);
  if (fromRevision) {
    const ref = fromRevision[1]!;
    const steps = parseSteps(fromRevision[2]!, fromRevision[3]!, t);
    if (binds.some((b) => b.bind === ref)) {
      const sign = steps > 0 ? '+' : '-';
      throw new RevisionError(
        `'${t}': '${ref}' is a bind; write '${ref}@${sign}${Math.abs(steps)}' to step from its current revision, or give a revision id before '${sign}'.`,
      );
    }
    let script: RevisionScript;
    try {
      script = map.resolve(ref);
    } catch (error) {
      if (error instanceof RevisionNotFoundError) throw notFound(t, binds);
      throw error;
    }
    const reached = map.walk([script.revision], steps, { branch: script.branch, argument: t });
    if (reached.length === 0) return Object.freeze({ kind: 'base', text, scope: revisionScope('revision', ref, script, binds) });
    if (reached.length > 1) {
      throw new RevisionError(`'${t}' reaches several revisions (${reached.join(', ')}), the down revisions of a merge; name one of them.`);
    }
    const revision = reached[0]!;
    return Object.freeze({ kind: 'revision', text, revision, scope: revisionScope('revision', ref, map.get(revision), binds) });
  }

  let script: RevisionScript;
  try {
    script = map.resolve(t);
  } catch (error) {
    if (error instanceof RevisionNotFoundError) throw notFound(t, binds);
    throw error;
  }
  return Object.freeze({ kind: 'revision', text, revision: script.revision, scope: revisionScope('revision', t, script, binds) });
}
