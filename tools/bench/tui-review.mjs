#!/usr/bin/env node
// Benchmark: how fast does the TUI's review screen answer a key with thousands of binds?
// Renders the ReviewScreen (built package, ink-testing-library, 80x23) over a planned upgrade of
// N tenants at G different revisions (so G groups, more than fit: the list scrolls), presses j
// K times, each time waiting until the frame shows the move, and prints the median ms per key.
// Also times the title alone: the names joined and cut (as before 2026-12-05) against
// reviewTitle (names measured one by one until the width is reached).
// Usage: node tools/bench/tui-review.mjs [N=2000] [G=40] [K=30]   (after `npm run build`)
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { truncate } from '@multidb/tui';
import { ReviewScreen, reviewTitle } from '@multidb/tui/screens';

const [N = 2000, G = 40, K = 30] = process.argv.slice(2).map(Number);
const step = (bind, revision, index, total) => ({ bind, revision, message: `step ${revision}`, file: `/p/${revision}.ts`, downRevisions: [], index, total, dependsOn: [] });
const binds = Array.from({ length: N }, (_, i) => {
  const bind = `tenant${String(i).padStart(4, '0')}`;
  const at = i % G === 0 ? [] : [`c${String(i % G).padStart(11, '0')}`];
  return { bind, selected: true, current: at, steps: at.length ? [step(bind, 'ffffffffffff', 1, 1)] : [step(bind, 'aaaaaaaaaaaa', 1, 2), step(bind, 'ffffffffffff', 2, 2)], history: [] };
});
const model = { targets: binds.map((b) => `${b.bind}@head`), totalSteps: binds.reduce((n, b) => n + b.steps.length, 0), binds };
const branches = Object.fromEntries(binds.map((b) => [b.bind, 'tenant']));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const names = binds.map((b) => b.bind);
const timeTitle = (fn) => {
  const samples = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
};
const joined = timeTitle(() => truncate(`Review · upgrade ${names.join(', ')}`, 68));
const counted = timeTitle(() => truncate(reviewTitle(names, 68, branches), 68));

const app = render(createElement(ReviewScreen, { model, branches, width: 80, height: 23, isActive: true, onOpen() {}, onUpgrade() {}, onBack() {} }));
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
await settle();
const first = performance.now();
const perKey = [];
for (let k = 0; k < K; k++) {
  const before = app.lastFrame();
  const t0 = performance.now();
  app.stdin.write('j');
  while (app.lastFrame() === before && performance.now() - t0 < 5000) await new Promise((resolve) => setImmediate(resolve));
  if (app.lastFrame() === before) break; // the cursor is on the last line (few groups): no more moves
  perKey.push(performance.now() - t0);
}
const total = performance.now() - first;
app.unmount();
console.log(`review screen, ${N} binds in ${G} groups, ${perKey.length} keys: median ${median(perKey).toFixed(1)} ms per key (max ${Math.max(...perKey).toFixed(1)}), ${total.toFixed(0)} ms in all`);
console.log(`title of ${N} names: joined and cut ${joined.toFixed(1)} ms; reviewTitle ${counted.toFixed(2)} ms (median of 7)`);
