import { readFileSync } from 'node:fs';

/**
 * The version of `@multidb/cli`, read at run time from its own `package.json` (one folder above
 * `src/` and `dist/`, so it works from the monorepo and from an installed package alike).
 *
 * @returns the `version` field, e.g. `'0.1.0'`.
 * @throws when the package's `package.json` is missing or has no version (a broken install).
 * @example
 * ```ts
 * console.log(`migrate ${cliVersion()}`);
 * ```
 */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name?: string; version?: unknown };
  if (manifest.name !== '@multidb/cli' || typeof manifest.version !== 'string') {
    throw new Error(`@multidb/cli: no version in ${new URL('../package.json', import.meta.url).pathname}; reinstall the package.`);
  }
  return manifest.version;
}
