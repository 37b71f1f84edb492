#!/usr/bin/env node
// Generates the Alembic differential corpus that packages/core/src/script/alembic-parity.test.ts
// replays (no Python at test time):
//
//   node tools/parity/alembic-corpus.mjs > packages/core/src/script/alembic-corpus.json
//
// Seeded random revision graphs in multidb's shape (one tree per branch, its root labelled with
// the branch name; forks, merges, labels on non-root revisions, depends_on inside a tree and
// across trees), a few version-table states per graph, and targets for upgrade, downgrade, stamp
// and resolve (Alembic's get_revisions). tools/parity/alembic_oracle.py asks Alembic 1.8.1
// (/usr/bin/python3, Debian python3-alembic) for its answer to each case. The same seed gives the
// same corpus, byte for byte. Options: --seed N (default 11), --graphs N (default 24; the test
// checks that every difference it excuses still occurs, which this seed and size cover).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SEED = opt('seed', 11);
const GRAPHS = opt('graphs', 24);

/** mulberry32: a small seeded PRNG, so the corpus does not depend on Node's Math.random. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(SEED);
const chance = (p) => rnd() < p;
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (list) => list[Math.floor(rnd() * list.length)];
const sample = (list, n) => {
  const copy = [...list];
  const out = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0]);
  return out;
};

/** Branch (bind) names: not hex, so no revision prefix reads as one. */
const BRANCHES = ['px', 'qy'];

function makeGraph(index) {
  const trees = chance(0.3) ? 2 : 1;
  // Every fourth graph has depends_on inside a tree (a known difference is tied to it); the
  // others only across trees, so the rest of the comparison is not drowned by it.
  const innerDeps = index % 4 === 3;
  const revs = [];
  const ids = new Set();
  const newId = () => {
    for (;;) {
      let id;
      if (revs.length && chance(0.3)) {
        const base = pick(revs).id.slice(0, pick([2, 3, 4]));
        id = base + Array.from({ length: 6 - base.length }, () => pick([...'0123456789abcdef'])).join('');
      } else {
        id = pick([...'abcdef']) + Array.from({ length: 5 }, () => pick([...'0123456789abcdef'])).join('');
      }
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  let nlabel = 0;
  const branches = BRANCHES.slice(0, trees);
  for (const branch of branches) revs.push({ id: newId(), down: [], labels: [branch], deps: [], branch });
  const size = int(4, 9) * trees;
  const byId = (id) => revs.find((r) => r.id === id);
  const ancestors = (start) => {
    const out = new Set();
    const stack = [...start];
    while (stack.length) {
      const id = stack.pop();
      if (out.has(id)) continue;
      out.add(id);
      const r = byId(id);
      stack.push(...r.down, ...r.deps);
    }
    return out;
  };
  const headsOf = (branch) => {
    const mine = revs.filter((r) => r.branch === branch);
    const downs = new Set(mine.flatMap((r) => r.down));
    return mine.filter((r) => !downs.has(r.id)).map((r) => r.id);
  };
  while (revs.length < size) {
    const branch = pick(branches);
    const heads = headsOf(branch);
    const mine = revs.filter((r) => r.branch === branch);
    const roll = rnd();
    let down;
    if (roll < 0.18 && heads.length >= 2) down = sample(heads, 2).sort();
    else if (roll < 0.45) down = [pick(mine).id];
    else down = [pick(heads)];
    const rev = { id: newId(), down, labels: [], deps: [], branch };
    if (chance(0.3)) rev.labels = [`l${++nlabel}`];
    const anc = ancestors(down);
    if (trees > 1 && chance(0.25)) {
      const other = revs.filter((r) => r.branch !== branch && !anc.has(r.id));
      if (other.length) rev.deps = [pick(other).id];
    } else if (innerDeps && chance(0.3)) {
      const inner = mine.filter((r) => !anc.has(r.id));
      if (inner.length) rev.deps = [pick(inner).id];
    }
    revs.push(rev);
  }
  return { name: `g${index}`, branches, revisions: revs };
}

/**
 * Version-table states: an applied set closed under down revisions and depends_on, as Alembic
 * rows (the applied revisions no other applied revision needs, across trees: Alembic's merge
 * step deletes a depended-on row).
 */
function makeStates(graph, n) {
  const revs = graph.revisions;
  const byId = new Map(revs.map((r) => [r.id, r]));
  const close = (ids) => {
    const out = new Set();
    const stack = [...ids];
    while (stack.length) {
      const id = stack.pop();
      if (out.has(id)) continue;
      out.add(id);
      stack.push(...byId.get(id).down, ...byId.get(id).deps);
    }
    return out;
  };
  const rows = (applied) => {
    const needed = new Set([...applied].flatMap((id) => [...byId.get(id).down, ...byId.get(id).deps]));
    return revs.map((r) => r.id).filter((id) => applied.has(id) && !needed.has(id));
  };
  const states = new Map();
  states.set('', []);
  const all = close(revs.map((r) => r.id));
  states.set(rows(all).join(), rows(all));
  for (let i = 0; i < n * 4 && states.size < n; i++) {
    const picks = sample(
      revs.map((r) => r.id),
      int(1, 2),
    );
    const state = rows(close(picks));
    states.set(state.join(), state);
  }
  return [...states.values()];
}

function targets(graph, op, state) {
  const revs = graph.revisions;
  const ids = revs.map((r) => r.id);
  const labels = revs.filter((r) => r.down.length > 0).flatMap((r) => r.labels);
  const single = graph.branches.length === 1;
  const id = pick(ids);
  const other = pick(ids);
  const lbl = labels.length ? pick(labels) : undefined;
  const branch = pick(graph.branches);
  const prefix = id.slice(0, pick([2, 3, 4]));
  const merges = revs.filter((r) => r.down.length > 1).map((r) => r.id);
  const list = [id, prefix, `${branch}@head`, `${id}@head`, 'heads'];
  if (merges.length) list.push(pick(merges));
  if (lbl) list.push(`${lbl}@head`, lbl);
  // Targets that count from where the (one) version table stands, or `head`: with two trees
  // Alembic keeps one table for both, multidb one per bind (DESIGN §2: `head` and `±N` apply to
  // each bind), so they are asked on one-tree graphs only.
  const counting = single ? ['head'] : [];
  if (op === 'upgrade') {
    list.push(`${id}+1`, `${id}-1`, `${branch}@+1`, 'base');
    if (single) counting.push('+1', '+2', 'head-1', 'base+1', 'base+2');
    if (lbl) list.push(`${lbl}@+1`, `${lbl}@+2`);
  } else if (op === 'downgrade') {
    list.push('base', `${id}-1`, `${branch}@-1`, `${branch}@base`, `${branch}@${other}`, `${id}@-1`, other);
    if (single) counting.push('-1', '-2', 'head-1', 'base+1');
    if (lbl) list.push(`${lbl}@-1`, `${lbl}@base`, `${lbl}@${other}`, `${lbl}@${other.slice(0, 3)}`);
    for (const row of state) list.push(row, `${row}@-1`);
  } else if (op === 'resolve') {
    list.push(`${branch}@heads`, `${branch}@${prefix}`, 'base');
    if (lbl) list.push(`${lbl}@heads`, `${lbl}@${prefix}`);
  }
  return [...new Set([...list, ...counting])];
}

function makeCases(graph) {
  const cases = [];
  const states = makeStates(graph, graph.branches.length > 1 ? 4 : 3);
  for (const current of states) {
    for (const [op, n] of [['upgrade', 3], ['downgrade', 4]]) {
      const picked = sample(targets(graph, op, current), n);
      // Cases where multidb differed from Alembic before (see planner-alembic.test.ts), always
      // asked where they can arise: `+1` from several rows, and a label at a fork along its line.
      if (op === 'upgrade' && graph.branches.length === 1 && current.length > 1) picked.push('+1');
      if (op === 'downgrade') {
        const fork = graph.revisions.find((r) => r.down.length > 0 && r.labels.length && graph.revisions.filter((x) => x.down.includes(r.id)).length > 1);
        if (fork) picked.push(`${fork.labels[0]}@${fork.id}`, `${fork.labels[0]}@-1`);
      }
      for (const target of new Set(picked)) cases.push({ op, current, target });
    }
    // Stamp targets are absolute: stamp reads `±N` as every command does here (the one grammar of
    // DESIGN §2), where Alembic's stamp does not find them.
    const stampTargets = targets(graph, 'stamp', current).filter((t) => !/[+-]\d+$/.test(t));
    cases.push({ op: 'stamp', current, targets: sample(stampTargets, chance(0.25) ? 2 : 1), purge: chance(0.2) });
  }
  for (const target of sample(targets(graph, 'resolve', []), 4)) cases.push({ op: 'resolve', current: [], target });
  return cases;
}

const graphs = [];
for (let i = 0; i < GRAPHS; i++) {
  const graph = makeGraph(i);
  graphs.push({ ...graph, cases: makeCases(graph) });
}

const here = dirname(fileURLToPath(import.meta.url));
const oracle = spawnSync('/usr/bin/python3', [join(here, 'alembic_oracle.py')], {
  input: JSON.stringify({ graphs: graphs.map((g) => ({ revisions: g.revisions, cases: g.cases })) }),
  maxBuffer: 64 * 1024 * 1024,
  encoding: 'utf8',
});
if (oracle.status !== 0) {
  process.stderr.write(oracle.stderr);
  process.exit(1);
}
const answered = JSON.parse(oracle.stdout);
answered.graphs.forEach((g, i) => {
  g.cases.forEach((c, j) => {
    graphs[i].cases[j].alembic = c.alembic;
  });
});

// One graph, revision and case per line: a regenerated corpus diffs readably.
const lines = [
  '{',
  `  "generator": ${JSON.stringify(`node tools/parity/alembic-corpus.mjs --seed ${SEED} --graphs ${GRAPHS}`)},`,
  `  "alembicVersion": ${JSON.stringify(answered.alembicVersion)},`,
  '  "graphs": [',
];
graphs.forEach((g, i) => {
  lines.push(`    {"name": ${JSON.stringify(g.name)}, "branches": ${JSON.stringify(g.branches)}, "revisions": [`);
  g.revisions.forEach((r, j) => lines.push(`      ${JSON.stringify(r)}${j < g.revisions.length - 1 ? ',' : ''}`));
  lines.push('    ], "cases": [');
  g.cases.forEach((c, j) => lines.push(`      ${JSON.stringify(c)}${j < g.cases.length - 1 ? ',' : ''}`));
  lines.push(`    ]}${i < graphs.length - 1 ? ',' : ''}`);
});
lines.push('  ]', '}');
process.stdout.write(lines.join('\n') + '\n');
