import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findConfigFile } from '@multidb/core';
import { UsageError } from './usage-error.js';

/**
 * Loads a `.env` file into `process.env` before the config is loaded, the way Node users expect
 * (Node's `process.loadEnvFile`): variables already set are never overridden.
 *
 * - `envFile` given (`--env-file PATH`, relative to `cwd`): that file; missing is an error.
 * - otherwise `.env` in the config file's folder (`--config`, or the config found from `cwd`
 *   upward), or in `cwd` when there is no config yet; missing is fine.
 *
 * @param cwd - where the command runs.
 * @param config - `--config PATH`, if given.
 * @param envFile - `--env-file PATH`, if given.
 * @returns the absolute path of the file loaded, or `undefined` when there was none.
 * @throws {@link UsageError} (exit 2) when `envFile` does not exist, naming the path; Node's
 *   error when a file exists but cannot be read.
 * @example
 * ```ts
 * loadEnvFile(process.cwd(), undefined, '.env.staging'); // then load the config
 * ```
 */
export function loadEnvFile(cwd: string, config: string | undefined, envFile: string | undefined): string | undefined {
  if (envFile !== undefined) {
    const path = resolve(cwd, envFile);
    if (!existsSync(path)) throw new UsageError(`--env-file ${path}: no such file.`);
    process.loadEnvFile(path);
    return path;
  }
  let dir = cwd;
  try {
    dir = dirname(findConfigFile(cwd, config));
  } catch {
    // No config (yet): `init`, or the config error comes when the command loads it.
  }
  const path = resolve(dir, '.env');
  if (!existsSync(path)) return undefined;
  process.loadEnvFile(path);
  return path;
}
