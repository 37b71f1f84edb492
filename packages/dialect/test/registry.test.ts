// The package's registry of dialects by URL scheme, and the promise that importing the package,
// the registry or a dialect folder loads no database driver (each loads on connect).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dialects } from '../src/index.js';
import { DIALECTS } from './support/dialects.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Static (value) imports of a module and, recursively, of the package's own modules it imports. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const external = new Set<string>();
  if (seen.has(file)) return external;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
    const spec = (m[1] ?? m[2])!;
    if (spec.startsWith('.')) {
      for (const s of staticImports(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen)) external.add(s);
    } else external.add(spec);
  }
  return external;
}

/** What a module may import statically: core, Kysely and Node's own modules. */
const driverImports = (entry: string) => [...staticImports(join(src, entry))].filter((m) => m !== '@multidb/core' && m !== 'kysely' && !m.startsWith('node:'));

describe('@multidb/dialect registry', () => {
  it('has lazy entries by URL scheme; sqlite loads the SQLite driver', async () => {
    expect(dialects.map((d) => [d.name, d.schemes])).toEqual([
      ['sqlite', ['sqlite']],
      ['postgres', ['postgres', 'postgresql']],
      ['mysql', ['mysql', 'mariadb']],
    ]);
    const driver = await dialects[0]!.load();
    const conn = await driver.connect({ bind: 'mem', url: 'sqlite::memory:', baseDir: '/' });
    expect(conn.dialect.name).toBe('sqlite');
    await conn.close();
  });

  it('loads no database driver when the package root or the registry is imported', () => {
    for (const entry of ['index.ts', 'registry.ts']) expect(driverImports(entry), entry).toEqual([]);
  });
});

for (const d of DIALECTS) {
  describe(`${d.name}: its folder`, () => {
    it('loads no database driver until connect (the driver is imported dynamically)', () => {
      expect(driverImports(`${d.name}/index.ts`)).toEqual([]);
    });
  });
}
