#!/usr/bin/env node
// src/start.ts as one file (tools/build/bundle-package.mjs --one-file): before anything else runs,
// V8's flags (a small young generation, a higher optimization budget); then @multidb/core and the
// CLI as scripts with V8 code caches in the project's cache folder (src/script-cache.ts): Node 20
// compiles ES modules from source at every start.
import { start } from '../dist/bundle/start.js';

const bundle = new URL('../dist/bundle/', import.meta.url);
await start(process.argv.slice(2), { script: new URL('main.script.cjs', bundle), module: new URL('main.js', bundle) });
