#!/usr/bin/env node
// Copies the current build of every package (package.json, dist, bin) into DIR, with a
// node_modules/@multidb/* of its own, so that `npm run bench -- --baseline DIR` can run that
// build as "multidb (baseline)" alternating with the working tree's, in the same run: a before/
// after comparison that the machine's load affects equally. DIR must be inside this repository
// (its other dependencies resolve from the repository's node_modules); .bench-baseline/ is
// git-ignored. Usage, e.g. for the commit before a fix:
//   git stash; npm run build; node tools/bench/snapshot-build.mjs .bench-baseline; git stash pop; npm run build
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = resolve(process.argv[2] ?? join(root, '.bench-baseline'));
if (!dir.startsWith(root)) throw new Error(`${dir} is outside ${root}: its dependencies would not resolve`);
rmSync(dir, { recursive: true, force: true });
for (const pkg of ['core', 'dialect', 'autogenerate', 'tui', 'cli']) {
  const from = join(root, 'packages', pkg);
  const to = join(dir, 'packages', pkg);
  mkdirSync(to, { recursive: true });
  for (const part of ['package.json', 'dist', 'bin']) if (existsSync(join(from, part))) cpSync(join(from, part), join(to, part), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '@multidb'), { recursive: true });
  symlinkSync(join('..', '..', 'packages', pkg), join(dir, 'node_modules', '@multidb', pkg));
}
console.log(`Build copied to ${dir}; run it with: npm run bench -- --baseline ${dir}`);
