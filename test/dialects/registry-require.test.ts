// The dialect registry is also CommonJS (`require('@multidb/dialect/registry')`, the file the
// CommonJS `migrate` bin loads): the same dialects, the same kysely alias, and each dialect's
// `load()` gives the very driver the ES module registry gives (one copy of each dialect).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esm from '@multidb/dialect/registry';
import { describe, expect, it } from 'vitest';

const cjs = createRequire(import.meta.url)('@multidb/dialect/registry') as typeof esm;

describe('@multidb/dialect/registry under require', () => {
  it('is the CommonJS build, with the same dialects as the ES module', () => {
    expect(createRequire(import.meta.url).resolve('@multidb/dialect/registry')).toMatch(/[\\/]dist[\\/]bundle[\\/]registry\.cjs$/);
    expect(cjs.dialects).not.toBe(esm.dialects);
    expect(cjs.dialects.map((d) => [d.name, [...d.schemes]])).toEqual(esm.dialects.map((d) => [d.name, [...d.schemes]]));
  });

  it('maps kysely to the same files, which exist', () => {
    const alias = cjs.kyselyModuleAlias();
    expect(alias).toEqual(esm.kyselyModuleAlias());
    expect(Object.keys(alias).sort()).toEqual(['kysely', 'kysely/helpers/mssql', 'kysely/helpers/mysql', 'kysely/helpers/postgres', 'kysely/helpers/sqlite']);
    for (const file of Object.values(alias)) expect(existsSync(file)).toBe(true);
  });

  // In a Node process of its own: vitest loads ES modules through its own module graph.
  it('loads each driver the ES module registry loads (the same object)', () => {
    const script = `
      import { createRequire } from 'node:module';
      import * as esm from '@multidb/dialect/registry';
      const cjs = createRequire(import.meta.url)('@multidb/dialect/registry');
      const same = {};
      for (const d of esm.dialects) same[d.name] = (await cjs.dialects.find((c) => c.name === d.name).load()) === (await d.load());
      console.log(JSON.stringify(same));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ sqlite: true, postgres: true, mysql: true });
  });

  // Node 20 fails a require() of an ES module that an import() is still loading ("not yet fully
  // loaded"). A customization hook holds the first import()-load of the SQLite dialect's build
  // until the application has required the dialect's package entry: the registry (CommonJS, and
  // the ES module root export) must not be import()ing it then. Where Node cannot require an ES
  // module there is nothing to check.
  it.runIf(process.features.require_module === true).each([
    ['the CommonJS registry', `const { dialects } = require('@multidb/dialect/registry');`],
    ['the ES module registry of the package root', `const { dialects } = await import('@multidb/dialect');`],
  ])('a require() of a dialect entry while %s loads that dialect gets the same driver', (_, registry) => {
    const hooks = `
      let port, held = false;
      export function initialize(data) { port = data.port; }
      export async function load(url, context, next) {
        if (!held && url.endsWith('/sqlite/index-module.js') && !context.conditions?.includes('require')) {
          held = true;
          await new Promise((resolve) => { port.once('message', resolve); port.postMessage('held'); });
        }
        return next(url, context);
      }`;
    const script = `
      const { register, createRequire } = require('node:module');
      const { MessageChannel } = require('node:worker_threads');
      const { port1, port2 } = new MessageChannel();
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), { data: { port: port2 }, transferList: [port2] });
      (async () => {
        ${registry}
        const held = new Promise((resolve) => port1.once('message', () => resolve(true)));
        const load = dialects.find((d) => d.name === 'sqlite').load();
        await Promise.race([held, load.catch(() => undefined)]);
        let required;
        try {
          required = require('@multidb/dialect/sqlite');
        } catch (error) {
          required = { error: error.message.split('\\n')[0] };
        }
        port1.postMessage('go');
        port1.unref();
        const driver = await load;
        console.log(JSON.stringify({ error: required.error, same: required.sqliteDriver === driver }));
      })();`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ same: true });
  });
});
