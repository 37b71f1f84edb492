// Property tests of the planner over random revision graphs (fast-check): several branches, forks
// with labels on their lines, merges, depends-on within a branch and across branches, branches
// shared by two binds (tenants), and bind states reached by a random upgrade.
//
// Each property runs 200 times by default. For a longer hunt set MULTIDB_PROPERTY_RUNS, e.g.
//   MULTIDB_PROPERTY_RUNS=20000 npx vitest run src/script/planner.property
// A failure prints fast-check's seed and path; pass them to fc.assert ({ seed, path }) to replay it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmbiguousRevisionError, MultidbError, RevisionNotFoundError } from '../errors.js';
import { crossBindWaits, planDowngrade, planStamp, planUpgrade, type BindState, type Plan } from './planner.js';
import { RevisionMap } from './revision-map.js';
import { parseTarget } from './revision-target.js';
import type { RevisionScript } from './revision-script.js';
import { replayPlan } from '../testing/plan-replay.js';
import { rev } from '../testing/revision-fixture.js';

const RUNS = Number(process.env['MULTIDB_PROPERTY_RUNS'] ?? 200);
/** Room for the runs on a busy machine (a limit, not a measurement: no test asserts a duration). */
const LIMIT_MS = Math.max(60_000, RUNS * 100);

/** One revision of a branch, as random choices: which earlier revisions it builds on. */
interface RevisionSpec {
  readonly parent: number;
  readonly merge: number | null;
  readonly label: boolean;
  readonly dependsOn: number | null;
}

interface GraphSpec {
  readonly branches: readonly (readonly RevisionSpec[])[];
  /** Whether each branch has a second bind (a tenant) besides its own. */
  readonly tenants: readonly boolean[];
  /** Revision ids, drawn from a small alphabet so that prefixes collide. */
  readonly ids: readonly string[];
}

const BRANCH_NAMES = ['x', 'y', 'z'];

const revisionSpec: fc.Arbitrary<RevisionSpec> = fc.record({
  parent: fc.nat(),
  merge: fc.option(fc.nat(), { freq: 4 }),
  label: fc.boolean(),
  dependsOn: fc.option(fc.nat(), { freq: 3 }),
});

// Ids over 'abc012': never a branch name (x, y, z), a label (l…) or a reserved word.
const graphSpec: fc.Arbitrary<GraphSpec> = fc.record({
  branches: fc.tuple(fc.array(revisionSpec, { minLength: 1, maxLength: 8 }), fc.array(fc.array(revisionSpec, { maxLength: 7 }), { maxLength: 2 })).map(([first, rest]) => [first, ...rest]),
  tenants: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  ids: fc.uniqueArray(fc.stringMatching(/^[abc012]{1,4}$/), { minLength: 24, maxLength: 24 }),
});

/** A generated project: the map, its binds (at base), and names to build targets from. */
interface World {
  /** The graph as `id <- down revisions [depends-on]` lines (what a failure report shows). */
  readonly graph: readonly string[];
  readonly map: RevisionMap;
  readonly binds: readonly BindState[];
  readonly labels: readonly string[];
}

function build(spec: GraphSpec): World {
  const scripts: RevisionScript[] = [];
  const labels: string[] = [];
  const binds: BindState[] = [];
  let next = 0;
  const earlierBranches: string[] = [];
  spec.branches.forEach((branchSpec, k) => {
    const branch = BRANCH_NAMES[k]!;
    const ids: string[] = [];
    const parents = new Map<string, readonly string[]>();
    const ancestors = (id: string): Set<string> => {
      const out = new Set<string>();
      const stack = [id];
      while (stack.length) for (const p of parents.get(stack.pop()!) ?? []) if (!out.has(p)) out.add(p), stack.push(p);
      return out;
    };
    branchSpec.forEach((r, i) => {
      const id = spec.ids[next++]!;
      let down: string[] = [];
      if (i > 0) {
        const first = ids[r.parent % i]!;
        down = [first];
        if (r.merge !== null) {
          const second = ids[r.merge % i]!;
          if (second !== first && !ancestors(first).has(second) && !ancestors(second).has(first)) down = [first, second];
        }
      }
      const dependsOn: string[] = [];
      if (r.dependsOn !== null) {
        // Across branches: a revision of an earlier branch; within the first branch: an earlier revision.
        if (earlierBranches.length) dependsOn.push(earlierBranches[r.dependsOn % earlierBranches.length]!);
        else if (i > 0) dependsOn.push(ids[r.dependsOn % i]!);
      }
      const branchLabels = i === 0 ? [branch] : r.label ? [`l${branch}${i}`] : [];
      if (i > 0 && r.label) labels.push(`l${branch}${i}`);
      parents.set(id, down);
      ids.push(id);
      scripts.push(rev(id, down.length ? down : null, branch, { branchLabels, dependsOn }));
    });
    earlierBranches.push(...ids);
    binds.push({ bind: `b${branch}`, branch, heads: [] });
    if (spec.tenants[k]) binds.push({ bind: `b${branch}2`, branch, heads: [] });
  });
  const graph = scripts.map((r) => `${r.branch}: ${r.revision} <- ${r.downRevisions.join(', ') || 'base'}${r.dependsOn.length ? ` [${r.dependsOn.join(', ')}]` : ''}${r.branchLabels.length ? ` (${r.branchLabels.join(', ')})` : ''}`);
  return { graph, map: new RevisionMap(scripts), binds, labels };
}

/** Targets worth trying on a world: every form, over its binds, revisions and labels. */
function targetPool(world: World): string[] {
  const { map, binds, labels } = world;
  const pool = ['head', 'heads', 'base', '+1', '+2', '-1', 'head-1', 'base+1', 'base+2'];
  for (const { bind, branch } of binds) {
    pool.push(bind, `${bind}@head`, `${bind}@heads`, `${bind}@base`, `${bind}@+1`, `${bind}@-1`, `${bind}@head-1`, `${bind}@base+2`);
    for (const r of map.revisions.filter((s) => s.branch === branch)) pool.push(`${bind}@${r.revision}`);
  }
  for (const r of map.revisions) pool.push(r.revision, `${r.revision}@head`, `${r.revision}+1`, `${r.revision}-1`, `${r.revision}@base`);
  for (const label of labels) {
    pool.push(label, `${label}@head`, `${label}@heads`, `${label}@base`, `${label}@+1`, `${label}@-1`, `${label}@head-1`, `${label}@base+2`);
    for (const r of map.lineage(map.byLabel(label)!.revision)) pool.push(`${label}@${r}`);
  }
  return pool;
}

/** Runs `fn`; a thrown error must be one of ours (a typed error with a message), never a crash. */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof MultidbError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    return undefined;
  }
}

/** The binds' states after a plan. */
function after(world: World, binds: readonly BindState[], plan: Plan): BindState[] {
  const { rows, problems } = replayPlan(world.map, binds, plan);
  expect(problems).toEqual([]);
  return binds.map((b) => ({ ...b, heads: [...rows.get(b.bind)!] }));
}

/** A world, a state reached by upgrading to one target from base, and two more targets. */
const scenario = graphSpec.chain((spec) => {
  const world = build(spec);
  const pool = targetPool(world);
  return fc.record({ setup: fc.constantFrom(...pool), target: fc.constantFrom(...pool), other: fc.constantFrom(...pool) }).map((t) => ({ world, ...t }));
});

function stateAfter(world: World, target: string): BindState[] {
  const plan = attempt(() => planUpgrade(world.map, world.binds, [target]));
  return plan ? after(world, world.binds, plan) : [...world.binds];
}

/** Checks crossBindWaits against a plan: earlier steps of other binds only, covering every direct cross-branch link. */
function expectWaits(map: RevisionMap, plan: Plan): void {
  const waits = crossBindWaits(map, plan);
  expect(waits).toHaveLength(plan.steps.length);
  plan.steps.forEach((step, i) => {
    for (const j of waits[i]!) {
      expect(j).toBeLessThan(i);
      expect(plan.steps[j]!.bind).not.toBe(step.bind);
    }
    const linked = plan.direction === 'up' ? map.dependencies(step.revision) : map.dependents(step.revision);
    plan.steps.slice(0, i).forEach((earlier, j) => {
      if (earlier.bind !== step.bind && earlier.script.branch !== step.script.branch && linked.includes(earlier.revision)) expect(waits[i]).toContain(j);
    });
  });
}

describe('planner properties over random revision graphs', () => {
  it('every upgrade and downgrade plan replays: a topological order per bind, depends-on first, rows right', () => {
    let planned = 0;
    fc.assert(
      fc.property(scenario, ({ world, setup, target, other }) => {
        const state = stateAfter(world, setup);
        const up = attempt(() => planUpgrade(world.map, state, [target, other]));
        if (up) {
          planned++;
          after(world, state, up);
          for (const step of up.steps) expect(up.binds).toContain(step.bind);
        }
        const down = attempt(() => planDowngrade(world.map, state, target, { allBinds: true }));
        if (down) {
          planned++;
          after(world, state, down);
        }
      }),
      { numRuns: RUNS },
    );
    // The properties must have had plans to check, not only refusals.
    expect(planned).toBeGreaterThan(RUNS / 2);
  }, LIMIT_MS);

  it('upgrade to a random target, then downgrade to base: each revision runs once each way per bind', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(scenario, ({ world, target }) => {
        const up = attempt(() => planUpgrade(world.map, world.binds, [target]));
        if (!up) return;
        const reached = after(world, world.binds, up);
        const down = planDowngrade(world.map, reached, 'base');
        const back = after(world, reached, down);
        expect(back.map((b) => b.heads)).toEqual(world.binds.map(() => []));
        const ups = up.steps.map((s) => `${s.bind}:${s.revision}`);
        const downs = down.steps.map((s) => `${s.bind}:${s.revision}`);
        expect(new Set(ups).size).toBe(ups.length);
        expect(new Set(downs).size).toBe(downs.length);
        expect([...downs].sort()).toEqual([...ups].sort());
        if (ups.length) nonEmpty++;
      }),
      { numRuns: RUNS },
    );
    expect(nonEmpty).toBeGreaterThan(RUNS / 4);
  }, LIMIT_MS);

  it('crossBindWaits lists only earlier steps of other binds, and every direct depends-on between them', () => {
    fc.assert(
      fc.property(scenario, ({ world, setup, target }) => {
        const up = attempt(() => planUpgrade(world.map, world.binds, [target]));
        if (up) expectWaits(world.map, up);
        const state = stateAfter(world, setup);
        const down = attempt(() => planDowngrade(world.map, state, 'base'));
        if (down) expectWaits(world.map, down);
      }),
      { numRuns: RUNS },
    );
  }, LIMIT_MS);

  it('stamp leaves each bind with rows of its branch, none an ancestor of another', () => {
    fc.assert(
      fc.property(scenario, ({ world, setup, target }) => {
        const state = stateAfter(world, setup);
        const changes = attempt(() => planStamp(world.map, state, [target], { allBinds: true })) ?? [];
        for (const change of changes) {
          const branch = state.find((b) => b.bind === change.bind)!.branch;
          for (const row of change.to) {
            expect(world.map.get(row).branch).toBe(branch);
            expect(world.map.ancestors(change.to).includes(row)).toBe(false);
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, LIMIT_MS);

  it('a partial id resolves to the one revision it starts, or throws AmbiguousRevisionError / RevisionNotFoundError', () => {
    const prefix = fc.stringMatching(/^[abc012]{1,3}$/);
    fc.assert(
      fc.property(graphSpec, prefix, fc.nat(), (spec, text, pick) => {
        const world = build(spec);
        const { map } = world;
        const matches = world.map.revisions.map((r) => r.revision).filter((id) => id.startsWith(text));
        if (map.has(text)) {
          expect(map.resolve(text).revision).toBe(text);
        } else if (matches.length === 1) {
          expect(map.resolve(text).revision).toBe(matches[0]);
          expect(parseTarget(text, map, world.binds)).toMatchObject({ kind: 'revision', revision: matches[0] });
        } else if (matches.length === 0) {
          expect(() => map.resolve(text)).toThrow(RevisionNotFoundError);
          expect(() => parseTarget(text, map, world.binds)).toThrow(RevisionNotFoundError);
        } else {
          const error = (() => {
            try {
              map.resolve(text);
            } catch (e) {
              return e;
            }
          })();
          expect(error).toBeInstanceOf(AmbiguousRevisionError);
          expect([...(error as AmbiguousRevisionError).candidates].sort()).toEqual([...matches].sort());
        }
        // Qualified by a bind, a prefix is matched within that bind's branch only.
        const bind = world.binds[pick % world.binds.length]!;
        const inBranch = matches.filter((id) => map.get(id).branch === bind.branch);
        const exact = map.has(text);
        const parsed = attempt(() => parseTarget(`${bind.bind}@${text}`, map, world.binds));
        if (exact) expect(parsed === undefined).toBe(map.get(text).branch !== bind.branch);
        else if (inBranch.length === 1) expect(parsed).toMatchObject({ kind: 'revision', revision: inBranch[0], scope: { binds: [bind.bind] } });
        else if (inBranch.length > 1) expect(() => parseTarget(`${bind.bind}@${text}`, map, world.binds)).toThrow(AmbiguousRevisionError);
        else expect(parsed).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  }, LIMIT_MS);
});
