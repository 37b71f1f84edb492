/**
 * The oldest Node.js the `migrate` command runs on: 20.12, for `process.loadEnvFile` (the `.env`
 * file next to the config and `--env-file`). Every package's `engines.node` says the same
 * (`>=20.12`), as they are installed together; a test holds the two in step.
 */
export const MIN_NODE_VERSION = '20.12.0';

/**
 * Why this Node.js cannot run `migrate`, as the one line the bin prints before it loads anything
 * (npm only warns about `engines` at install, so an older Node would otherwise fail part way, e.g.
 * `process.loadEnvFile is not a function` once a `.env` file exists).
 *
 * @param version - a Node.js version, `process.versions.node` (`'20.11.1'`, without the `v`).
 * @returns the message naming both versions, or `undefined` when `version` is
 *   {@link MIN_NODE_VERSION} or later (a version that does not parse passes: never refuse on a guess).
 * @example
 * ```ts
 * unsupportedNode('20.11.1'); // 'migrate needs Node.js 20.12.0 or later; this is Node.js 20.11.1. Upgrade Node.js (…).'
 * unsupportedNode('22.3.0'); // undefined
 * ```
 */
export function unsupportedNode(version: string): string | undefined {
  const have = parseVersion(version);
  const need = parseVersion(MIN_NODE_VERSION)!;
  if (have === undefined) return undefined;
  for (let i = 0; i < 3; i++) {
    if (have[i]! > need[i]!) return undefined;
    if (have[i]! < need[i]!) return `migrate needs Node.js ${MIN_NODE_VERSION} or later; this is Node.js ${version}. Upgrade Node.js (nvm install 20, or a newer LTS).`;
  }
  return undefined;
}

function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}
