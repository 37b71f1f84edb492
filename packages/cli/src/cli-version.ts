import { readFileSync } from 'node:fs';

/**
 * The version of `@multidb/cli`, read at run time from its own `package.json`: the first one named
 * `@multidb/cli` one or two folders above this module (`src/`, `dist/` or the bin's bundle in
 * `dist/bundle/`), so it works from the monorepo and from an installed package alike.
 *
 * @returns the `version` field, e.g. `'0.1.0'`.
 * @throws when the package's `package.json` is missing or has no version (a broken install).
 * @example
 * ```ts
 * console.log(`migrate ${cliVersion()}`);
 * ```
 */
export function cliVersion(): string {
  const candidates = ['../package.json', '../../package.json'].map((path) => new URL(path, import.meta.url));
  for (const url of candidates) {
    let manifest: { name?: string; version?: unknown };
    try {
      manifest = JSON.parse(readFileSync(url, 'utf8')) as typeof manifest;
    } catch {
      continue;
    }
    if (manifest.name === '@multidb/cli' && typeof manifest.version === 'string') return manifest.version;
  }
  throw new Error(`@multidb/cli: no version in ${candidates.map((url) => url.pathname).join(' or ')}; reinstall the package.`);
}
