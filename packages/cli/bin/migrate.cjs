#!/usr/bin/env node
// The `migrate` command. CommonJS, as is what it loads first (dist/bundle/start.cjs, core and the
// CLI as scripts with V8 code caches, the dialect registry): Node 20 sets up its ES module loader
// on first use, ~13 ms of CPU that a short command such as `migrate heads` needs nothing of; the
// commands that load a dialect or the TUI (ES modules) still do. See src/start.ts.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { start } = require('../dist/bundle/start.cjs');

const bundle = join(__dirname, '..', 'dist', 'bundle');
start(process.argv.slice(2), { script: pathToFileURL(join(bundle, 'main.script.cjs')), module: pathToFileURL(join(bundle, 'main.js')) });
