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
});
