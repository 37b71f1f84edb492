import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLED_KYSELY_VERSION } from '../kysely/bundled-kysely-version.js';

/** What the dialects take of a kysely module to make the Kysely user code gets: the class, and each dialect's. */
export type KyselyModule = Pick<typeof import('kysely'), 'Kysely' | 'SqliteDialect' | 'PostgresDialect' | 'MysqlDialect'>;

/**
 * The project's own kysely, imported, when configs and revisions get it (`moduleAlias.kysely`, see
 * `kyselyModuleAlias`) and the dialects may make the Kysely they hand user code with it (a
 * connection's `db`: `op.db`, the `onConnect` hook's), so that it is an instance of the `Kysely`
 * a revision imports, built by that copy's class and dialect (adapter, query compiler,
 * introspector); multidb's own queries keep the bundled copy, on the same driver.
 *
 * Only for a kysely of the bundled one's minor version (`0.28.x` for {@link BUNDLED_KYSELY_VERSION}
 * 0.28.18, newer or older patch): such a Kysely runs on the bundled copy's driver (its connection,
 * mutex and transactions), and core calls the 0.28 API on it (`startTransaction`, savepoints,
 * `connection()`), which 0.27 lacks; 0.29 needs Node 22 and may change either. For another version
 * (or a file that is not in a package named `kysely`, or one that does not import) `undefined`:
 * the dialects make `op.db` with the bundled copy, as before, and only `op.db instanceof Kysely`
 * is false for the project's class.
 *
 * Costs the project's kysely import (its 262 ES modules, ~90 ms of CPU) when nothing imported it
 * yet; a revision or config importing `kysely` loads the same module (Node's ES module loader,
 * same file), so then nothing more.
 *
 * @param moduleAlias - `ConnectOptions.moduleAlias` (absent: `undefined`).
 * @returns the module, or `undefined` for the bundled copy.
 * @throws never.
 * @example
 * ```ts
 * const own = await projectKysely({ kysely: '/srv/app/node_modules/kysely/dist/esm/index.js' });
 * console.log(own ? "op.db is made by the project's Kysely" : 'op.db is made by the bundled copy');
 * ```
 */
export function projectKysely(moduleAlias: Readonly<Record<string, string>> | undefined): Promise<KyselyModule | undefined> {
  const file = moduleAlias?.['kysely'];
  if (file === undefined) return Promise.resolve(undefined);
  let imported = importedModules.get(file);
  if (imported === undefined) {
    imported = compatibleKyselyVersion(packageVersion(file))
      ? // A file URL: the instance the module loader's native import of the alias gets.
        import(pathToFileURL(file).href).then(
          (mod: Partial<KyselyModule>) => (typeof mod.Kysely === 'function' ? (mod as KyselyModule) : undefined),
          () => undefined, // a revision importing it fails with its own error
        )
      : Promise.resolve(undefined);
    importedModules.set(file, imported);
  }
  return imported;
}

/** Each alias file's module as {@link projectKysely} found it (one import per file and thread). */
const importedModules = new Map<string, Promise<KyselyModule | undefined>>();

/**
 * Whether a kysely of `version` may make the Kysely user code gets (see {@link projectKysely}):
 * the bundled version's major and minor (`0.28.x`).
 *
 * @param version - a kysely package's version, `undefined` when none was found.
 * @returns true for the bundled major and minor.
 * @example
 * ```ts
 * compatibleKyselyVersion('0.28.20'); // true (0.28.18 bundled)
 * compatibleKyselyVersion('0.27.6'); // false
 * ```
 */
export function compatibleKyselyVersion(version: string | undefined): boolean {
  const minor = (v: string) => /^(\d+)\.(\d+)\./.exec(v)?.slice(1, 3).join('.');
  return version !== undefined && minor(version) !== undefined && minor(version) === minor(BUNDLED_KYSELY_VERSION);
}

/**
 * The version of the package named `kysely` that `file` belongs to: the first package.json with a
 * `name` in its folder or a parent (kysely's `dist/esm/package.json` has none); `undefined` when
 * that package is not kysely (the dialects' bundled copy is `@multidb/dialect`'s) or none is found.
 */
function packageVersion(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    let manifest: { name?: unknown; version?: unknown } | undefined;
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      /* none here (or unreadable): look in the parent folder */
    }
    if (manifest !== undefined && manifest !== null && typeof manifest.name === 'string') {
      return manifest.name === 'kysely' && typeof manifest.version === 'string' ? manifest.version : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}
