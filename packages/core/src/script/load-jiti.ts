import { createRequire } from 'node:module';
import type { createJiti } from 'jiti';

let jitiFactory: typeof createJiti | undefined;

/**
 * jiti's `createJiti`, loaded on first use through `require`: jiti's ES module entry imports its
 * 190 KB CommonJS bundle, which Node would then scan for its exports (cjs-module-lexer) at every
 * start, while `require` only compiles it. A command that imports no module never loads jiti.
 *
 * @returns jiti's `createJiti`.
 * @example
 * ```ts
 * const jiti = loadJiti()(import.meta.url, { fsCache: true });
 * ```
 * @internal
 */
export function loadJiti(): typeof createJiti {
  jitiFactory ??= (createRequire(import.meta.url)('jiti') as { createJiti: typeof createJiti }).createJiti;
  return jitiFactory;
}
