import { AmbiguousRevisionError, RevisionError, RevisionNotFoundError, SharedBranchError, TargetUsageError, UnknownBindError, listSome } from '../errors.js';
import { closestKey } from '../edit-distance.js';
import type { RevisionMap } from './revision-map.js';
import type { RevisionScript } from './revision-script.js';


/** A bind and the branch its revisions live in (`binds.<name>.branch`, default the bind's name). */
export interface BindBranch {
  /** The bind's name. */
  readonly bind: string;
  /** Its branch. */
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
   * For a label or a revision qualifier (`label@…`, `<rev>@…`, or a bare label): the revision it
   * names. The target then acts on that revision's line ({@link RevisionMap.lineage}: its
   * ancestors and descendants), as Alembic's branch labels do: `@head` reaches the heads that
   * descend from it, `@+N` walks up that line, `@base` covers only that line, and `label@<rev>`
   * downgrades only that line. The line of a branch root is the whole branch. `undefined` for a
   * bind qualifier, a bare revision and the keywords: the whole branch.
   */
  readonly anchor: string | undefined;
}

/**
 * A parsed target (DESIGN §2). `scope` undefined means "every bind".
 * - `heads`: every head (`heads`, `Q@heads`);
 * - `head`: the one head of each selected bind's branch or line (`head`, `Q@head`);
 * - `base`: nothing applied (`base`, `Q@base`, or `<rev>-N` that steps below the branch root,
 *   which then records the revision it stepped from in `walkedFrom`); with an anchor, nothing of
 *   that line;
 * - `relative`: `steps` from each selected bind's current revision (`+N`, `-N`, `Q@+N`, `Q@-N`);
 *   with an anchor, from the bind's revision on that line, walking along it;
 * - `offset`: `steps` from the head (`head-N`, `Q@head-N`: `steps` < 0) or from base (`base+N`,
 *   `Q@base+N`: `steps` > 0) of each selected bind's branch or line;
 * - `revision`: one revision (`<rev prefix>`, `<rev>+N`, `<rev>-N`, a label of a non-root
 *   revision, `Q@<rev prefix>`, `Q@<rev>±N`); its scope selects the binds of its branch, or the
 *   one bind named;
 * - `bind`: a bare bind name or the label of a branch root: on upgrade its head, on downgrade one
 *   step back, on stamp its head.
 */
export type RevisionTarget =
  | { readonly kind: 'heads'; readonly text: string; readonly scope: TargetScope | undefined }
  | { readonly kind: 'head'; readonly text: string; readonly scope: TargetScope | undefined }
  | { readonly kind: 'base'; readonly text: string; readonly scope: TargetScope | undefined; readonly walkedFrom?: string }
  | { readonly kind: 'relative'; readonly text: string; readonly steps: number; readonly scope: TargetScope | undefined }
  | { readonly kind: 'offset'; readonly text: string; readonly from: 'head' | 'base'; readonly steps: number; readonly scope: TargetScope | undefined }
  | { readonly kind: 'revision'; readonly text: string; readonly revision: string; readonly scope: TargetScope }
  | { readonly kind: 'bind'; readonly text: string; readonly scope: TargetScope };

/**
 * Every form {@link parseTarget} accepts, with placeholders (`<bind>`, `<label>`, `<rev>`: an id
 * or unique prefix, `N`: a whole number of 1 or more), as messages list them. A test feeds each
 * back to the parser with the placeholders filled in.
 * @example
 * ```ts
 * console.log(`Targets: ${TARGET_FORMS.join(', ')}`);
 * ```
 */
export const TARGET_FORMS: readonly string[] = Object.freeze([
  'head',
  'heads',
  'base',
  '+N',
  '-N',
  'head-N',
  'base+N',
  '<bind>',
  '<bind>@head',
  '<bind>@base',
  '<bind>@+N',
  '<bind>@-N',
  '<bind>@<rev>',
  '<label>@+N',
  '<label>@<rev>',
  '<rev>',
  '<rev>+N',
  '<rev>-N',
  '<rev>@head',
]);

const RELATIVE = /^([+-])(\d+)$/;
const OFFSET = /^(head|heads|base)([+-])(\d+)$/;
const REVISION_RELATIVE = /^(.+?)([+-])(\d+)$/;

function parseSteps(sign: string, digits: string, text: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new TargetUsageError(`'${text}': a relative step needs a whole number of at least 1 (e.g. '+1', '-2').`);
  }
  return sign === '-' ? -n : n;
}

function bindsOnBranch(binds: readonly BindBranch[], branch: string): string[] {
  return binds.filter((b) => b.branch === branch).map((b) => b.bind);
}

function revisionScope(via: 'label' | 'revision', name: string, script: RevisionScript, binds: readonly BindBranch[], anchor: string | undefined): TargetScope {
  return Object.freeze({ via, name, branch: script.branch, binds: Object.freeze(bindsOnBranch(binds, script.branch)), anchor });
}

function bindScope(bind: BindBranch): TargetScope {
  return Object.freeze({ via: 'bind', name: bind.bind, branch: bind.branch, binds: Object.freeze([bind.bind]), anchor: undefined });
}

function notFound(text: string, binds: readonly BindBranch[]): RevisionNotFoundError {
  const names = binds.map((b) => b.bind);
  // A bind name misspelled (`analytcs`): say which one it likely meant. Not for text that reads
  // as a revision id's prefix (`1b2`, one edit from `db2`): most likely a mistyped revision; the
  // message lists the binds anyway.
  const meant = /^[0-9a-f]+$/i.test(text) ? undefined : closestKey(text, names);
  return new RevisionNotFoundError(
    text,
    `No revision, bind or branch label matches '${text}'` + (meant !== undefined ? ` (did you mean bind '${meant}'?)` : '') + '.' + (names.length ? ` Binds: ${listSome(names)}.` : '') + ` Targets: ${TARGET_FORMS.join(', ')}.`,
  );
}

/** `head-N`, `base+N` (and the forms that walk off the graph, refused with the form to use). */
function parseOffset(match: RegExpExecArray, text: string, scope: TargetScope | undefined): RevisionTarget {
  const [, from, sign, digits] = match as unknown as [string, 'head' | 'heads' | 'base', string, string];
  const steps = parseSteps(sign, digits, text);
  const q = scope ? `${scope.name}@` : '';
  if (from === 'head' && steps < 0) return Object.freeze({ kind: 'offset', text, from, steps, scope });
  if (from === 'base' && steps > 0) return Object.freeze({ kind: 'offset', text, from, steps, scope });
  if (from === 'heads') throw new TargetUsageError(`'${text}': 'heads' names several revisions; step from one of them ('${q}head${sign}${digits}' for a single head).`);
  throw new TargetUsageError(
    from === 'head'
      ? `'${text}' goes beyond the head; '${q}+${digits}' steps up from where each bind is.`
      : `'${text}' goes below base; '${q}base+${digits}' counts up from base.`,
  );
}

/** Resolves the `Q` of `Q@…`: a bind name first, then a branch label, then a revision prefix. */
function resolveScope(q: string, map: RevisionMap, binds: readonly BindBranch[]): TargetScope {
  const bind = binds.find((b) => b.bind === q);
  if (bind) return bindScope(bind);
  const labelled = map.byLabel(q);
  if (labelled) return revisionScope('label', q, labelled, binds, labelled.revision);
  let script: RevisionScript;
  try {
    script = map.resolve(q);
  } catch (error) {
    if (error instanceof RevisionNotFoundError) throw new UnknownBindError(q, binds.map((b) => b.bind));
    throw error;
  }
  return revisionScope('revision', q, script, binds, script.revision);
}

/** Where a scope reaches, for messages: `branch 'tenant' of bind 't7'`, `the line of 'c2branch'`. */
function describeScope(scope: TargetScope, map: RevisionMap): string {
  if (scope.via === 'bind') return `branch '${scope.branch}' of bind '${scope.name}'`;
  return scope.anchor !== undefined && !map.isBase(scope.anchor) ? `the line of '${scope.name}' (branch '${scope.branch}')` : `branch '${scope.branch}'`;
}

/**
 * Resolves the revision of `Q@<ref>`: a full id or a label must lie in the scope (the bind's
 * branch, or the qualifier's line); a prefix is matched among the revisions of the scope only, as
 * Alembic matches `label@<prefix>` within the label's lineage.
 */
function resolveInScope(ref: string, scope: TargetScope, map: RevisionMap, text: string): RevisionScript {
  const line = scope.anchor === undefined ? undefined : new Set(map.lineage(scope.anchor));
  const inScope = (id: string): boolean => map.get(id).branch === scope.branch && (line === undefined || line.has(id));
  const outside = (id: string): RevisionError =>
    new RevisionError(`'${text}': revision '${id}' (branch '${map.get(id).branch}') is not in ${describeScope(scope, map)}.`);
  const exact = map.has(ref) ? map.get(ref) : map.byLabel(ref);
  if (exact) {
    if (!inScope(exact.revision)) throw outside(exact.revision);
    return exact;
  }
  const candidates = map.matching(ref);
  const inside = candidates.filter(inScope);
  if (inside.length > 1) throw new AmbiguousRevisionError(ref, inside);
  if (inside.length === 1) return map.get(inside[0]!);
  if (candidates.length === 1) throw outside(candidates[0]!);
  throw new RevisionNotFoundError(
    ref,
    `'${text}': no revision of ${describeScope(scope, map)} matches '${ref}'` + (candidates.length ? ` (elsewhere: ${candidates.join(', ')}).` : '.'),
  );
}

/** `<ref>±N`: walks from a revision; up along the scope's line when it has one. */
function walkFrom(script: RevisionScript, steps: number, text: string, map: RevisionMap, scope: TargetScope): RevisionTarget {
  const reached = map.walk([script.revision], steps, {
    branch: script.branch,
    argument: text,
    ...(scope.anchor !== undefined ? { line: scope.anchor } : {}),
  });
  if (reached.length === 0) return Object.freeze({ kind: 'base', text, scope, walkedFrom: script.revision });
  if (reached.length > 1) {
    throw new RevisionError(`'${text}' reaches several revisions (${reached.join(', ')}), the down revisions of a merge; name one of them.`);
  }
  return Object.freeze({ kind: 'revision', text, revision: reached[0]!, scope });
}

/** The part after `Q@`. */
function parseQualified(t: string, text: string, q: string, rest: string, map: RevisionMap, binds: readonly BindBranch[]): RevisionTarget {
  if (q === '') throw new TargetUsageError(`'${t}': name a bind, branch label or revision before '@'.`);
  if (rest === '') throw new TargetUsageError(`'${t}': after '@' give head, heads, base, +N, -N, head-N, base+N or a revision.`);
  if (rest.includes('@')) throw new TargetUsageError(`'${t}': a target has at most one '@' (e.g. '${q}@head').`);
  const scope = resolveScope(q, map, binds);
  if (rest === 'head' || rest === 'heads' || rest === 'base') return Object.freeze({ kind: rest, text, scope });
  const step = RELATIVE.exec(rest);
  if (step) return Object.freeze({ kind: 'relative', text, steps: parseSteps(step[1]!, step[2]!, t), scope });
  const offset = OFFSET.exec(rest);
  if (offset) return parseOffset(offset, text, scope);
  const walked = REVISION_RELATIVE.exec(rest);
  if (walked && !map.has(rest) && !map.byLabel(rest)) {
    const script = resolveInScope(walked[1]!, scope, map, t);
    return walkFrom(script, parseSteps(walked[2]!, walked[3]!, t), text, map, scope);
  }
  const script = resolveInScope(rest, scope, map, t);
  return Object.freeze({ kind: 'revision', text, revision: script.revision, scope });
}

/**
 * Parses and resolves a target against the revision map and the binds (DESIGN §2); the one
 * reader of `@`, `+N` and `-N`. Names are tried in this order: the keywords `head`, `heads`,
 * `base`; a bind name (so bind `db2` wins over the hex prefix `db2`, and bind `shard-1` over
 * `shard` minus one); a branch label; `+N`/`-N`; `head-N`/`base+N`; `Q@…` (Q a bind, label or
 * revision prefix; after `@`: `head`, `heads`, `base`, `+N`, `-N`, `head-N`, `base+N`, a
 * revision id or prefix of Q's branch or line, or `<rev>±N`); `<rev>+N`/`<rev>-N`; a revision
 * id or unique prefix. Every form is listed in {@link TARGET_FORMS}.
 *
 * With a label (or revision) qualifier on a forked branch, the target follows that label's line
 * (see {@link TargetScope.anchor}), as in Alembic: `c2branch@+1` walks up the line of c2,
 * `c2branch@base+2` counts up from base along it, `c2branch@<rev>` must lie on it.
 *
 * @param text - the target as the user wrote it (surrounding spaces are ignored).
 * @param map - the revision map.
 * @param binds - the configured binds with their branches (default none: labels and revisions only).
 * @returns the resolved target; revision prefixes become full ids and `<rev>±N` is walked.
 * @throws {@link UnknownBindError} for `foo@head` when `foo` is no bind, label or revision (lists binds).
 * @throws {@link AmbiguousRevisionError} when a prefix matches several revisions (lists them).
 * @throws {@link RevisionNotFoundError} when nothing matches.
 * @throws {@link TargetUsageError} (a {@link RevisionError}) for a malformed target.
 * @throws {@link RevisionError} for `Q@<rev>` with a revision outside Q's
 *   branch or line, or `<rev>±N` that leaves the branch or meets a branch point (`+N`) or merge
 *   point (`-N`).
 * @example
 * ```ts
 * const map = new RevisionMap(scripts);
 * const target = parseTarget('db2@-1', map, [{ bind: 'db2', branch: 'db2' }]);
 * // { kind: 'relative', steps: -1, scope: { via: 'bind', name: 'db2', binds: ['db2'], … } }
 * ```
 */
export function parseTarget(text: string, map: RevisionMap, binds: readonly BindBranch[] = []): RevisionTarget {
  const t = text.trim();
  if (t === '') throw new TargetUsageError('Empty revision target: give head, heads, base, a bind, or a revision.');
  if (t === 'head' || t === 'heads' || t === 'base') return Object.freeze({ kind: t, text, scope: undefined });

  const bind = binds.find((b) => b.bind === t);
  if (bind) return Object.freeze({ kind: 'bind', text, scope: bindScope(bind) });

  const labelled = map.byLabel(t);
  if (labelled) {
    const scope = revisionScope('label', t, labelled, binds, labelled.revision);
    return map.isBase(labelled.revision)
      ? Object.freeze({ kind: 'bind', text, scope })
      : Object.freeze({ kind: 'revision', text, revision: labelled.revision, scope });
  }

  const relative = RELATIVE.exec(t);
  if (relative) return Object.freeze({ kind: 'relative', text, steps: parseSteps(relative[1]!, relative[2]!, t), scope: undefined });

  const offset = OFFSET.exec(t);
  if (offset) return parseOffset(offset, text, undefined);

  const at = t.indexOf('@');
  if (at >= 0) return parseQualified(t, text, t.slice(0, at), t.slice(at + 1), map, binds);

  const fromRevision = REVISION_RELATIVE.exec(t);
  if (fromRevision && !map.has(t)) {
    const ref = fromRevision[1]!;
    const steps = parseSteps(fromRevision[2]!, fromRevision[3]!, t);
    if (binds.some((b) => b.bind === ref)) {
      const sign = steps > 0 ? '+' : '-';
      throw new TargetUsageError(
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
    return walkFrom(script, steps, text, map, revisionScope('revision', ref, script, binds, undefined));
  }

  let script: RevisionScript;
  try {
    script = map.resolve(t);
  } catch (error) {
    if (error instanceof RevisionNotFoundError) throw notFound(t, binds);
    throw error;
  }
  return Object.freeze({ kind: 'revision', text, revision: script.revision, scope: revisionScope('revision', t, script, binds, undefined) });
}

/**
 * Refuses a downgrade or stamp target that names a revision or branch label (not a bind) of a
 * branch several binds share: it would act on every one of them (DESIGN §2). Targets that name a
 * bind, and the global keywords (`base`, `head`, `heads`, `-N`), pass. The error's example names
 * the first bind with the same meaning (`t1@3f2a9c1d7b40` for `3f2a`, `t1@-1` for `tenant@-1`),
 * or `t1@<rev>` where no bind-qualified target means the same (a label's line on a fork).
 *
 * @param target - a parsed target.
 * @param command - `'downgrade'` or `'stamp'`, for the message.
 * @param allBinds - act on every bind of the branch (`--all-binds`): nothing is refused.
 * @throws {@link SharedBranchError} listing the binds and the two ways out.
 * @example
 * ```ts
 * const target = parseTarget('3f2a', map, [{ bind: 't1', branch: 'tenant' }, { bind: 't2', branch: 'tenant' }]);
 * guardSharedBranch(target, map, 'downgrade', false); // throws SharedBranchError
 * ```
 */
export function guardSharedBranch(target: RevisionTarget, map: RevisionMap, command: 'downgrade' | 'stamp', allBinds: boolean): void {
  const scope = target.scope;
  if (allBinds || scope === undefined || scope.via === 'bind' || scope.binds.length < 2) return;
  const first = scope.binds[0]!;
  const wholeBranch = scope.anchor === undefined || map.isBase(scope.anchor);
  const t = target.text.trim();
  const after = t.includes('@') ? t.slice(t.indexOf('@') + 1) : undefined;
  let example = `${first}@<rev>`;
  if (target.kind === 'revision' && (wholeBranch || command === 'stamp')) example = `${first}@${target.revision}`;
  else if (wholeBranch) example = after === undefined ? (target.kind === 'base' ? `${first}@base` : first) : `${first}@${after}`;
  throw new SharedBranchError(command, t, scope.branch, scope.binds, example);
}
