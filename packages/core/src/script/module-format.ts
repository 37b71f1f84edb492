import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Whether Node loads `file` as an ES module: `.mjs`, or `.js` whose nearest package.json says
 * `"type": "module"` (a package.json that does not parse: not). Used by the module loader (which
 * aliases it gives jiti as modules) and by the `migrate` bin (which requires a CommonJS driver
 * instead of importing it), which inlines this file (`@multidb/core/module-format`).
 *
 * @param file - an absolute path.
 * @returns `true` for an ES module, `false` otherwise (CommonJS, JSON, another extension).
 * @example
 * ```ts
 * isEsModuleFile('/app/node_modules/pg/lib/index.js'); // false: pg's package.json has no "type"
 * ```
 * @internal
 */
export function isEsModuleFile(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; ) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}
