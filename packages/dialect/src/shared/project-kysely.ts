import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BUNDLED_KYSELY_VERSION } from '../kysely/bundled-kysely-version.js';

/** What the dialects take of a kysely module to make the Kysely user code gets: the class, and each dialect's. */
export type KyselyModule = Pick<typeof import('kysely'), 'Kysely' | 'SqliteDialect' | 'PostgresDialect' | 'MysqlDialect'>;

/**
 * The project's own kysely, when configs and revisions get it (`moduleAlias.kysely`, see
 * `kyselyModuleAlias`) and the dialects may make the Kysely they hand user code with it (a
 * connection's `db`: `op.db`, the `onConnect` hook's), so that it is an instance of the `Kysely`
 * a revision imports, built by that copy's class and dialect (adapter, query compiler,
 * introspector); multidb's own queries keep the bundled copy, on the same driver.
 *
 * Only for a kysely of the bundled one's minor version (`0.28.x` for {@link BUNDLED_KYSELY_VERSION}
 * 0.28.18, newer or older patch): such a Kysely runs on the bundled copy's driver (its connection,
 * mutex and transactions), and core calls the 0.28 API on it (`startTransaction`, savepoints,
 * `connection()`), which 0.27 lacks; 0.29 needs Node 22 and may change either. For another version
 * (or a file that is not in a package named `kysely`) `undefined`: the dialects make `op.db` with
 * the bundled copy, as before, and only `op.db instanceof Kysely` is false for the project's class.
 *
 * Loads nothing: it reads the package's package.json (once per file and thread). The module is
 * loaded by the function returned, which a connection calls on the first read of its `db` (see
 * `connectionKyselys`): most commands (`current`, and `upgrade` of revisions that only import
 * kysely's types) never read it, and the project's kysely (its 262 ES modules, ~90 ms of CPU) is
 * then never loaded. A run reads it before its first step on a bind whose revisions name `db`
 * or hand `op` on to other code (core's `runPlan`), so that the load is not in a revision's step and transaction. The load is synchronous (`require` of the alias file: Node ≥ 20.19 requires
 * an ES module), and gets the very module a revision's or config's `import` of the alias got (one
 * module map): nothing more when user code imported kysely already. Where it cannot load (an older
 * Node, a module that fails), the function returns `undefined`: the bundled copy's Kysely, as above.
 *
 * @param moduleAlias - `ConnectOptions.moduleAlias` (absent: `undefined`).
 * @returns a function that loads the project's kysely (the same module each call; `undefined`
 *   when it cannot be loaded), or `undefined` for the bundled copy.
 * @throws never; nor does the function returned.
 * @example
 * ```ts
 * const load = projectKysely({ kysely: '/srv/app/node_modules/kysely/dist/esm/index.js' });
 * const own = load?.(); // loaded here, not by projectKysely
 * console.log(own ? "op.db is made by the project's Kysely" : 'op.db is made by the bundled copy');
 * ```
 */
export function projectKysely(moduleAlias: Readonly<Record<string, string>> | undefined): (() => KyselyModule | undefined) | undefined {
  const file = moduleAlias?.['kysely'];
  if (file === undefined) return undefined;
  let load = loaders.get(file);
  if (load === undefined) {
    let loaded: { readonly module: KyselyModule | undefined } | undefined;
    load = compatibleKyselyVersion(packageVersion(file)) ? () => (loaded ??= { module: requireKysely(file) }).module : null;
    loaders.set(file, load);
  }
  return load ?? undefined;
}

/** Each alias file's loader as {@link projectKysely} made it (`null`: not a compatible kysely), one per file and thread. */
const loaders = new Map<string, (() => KyselyModule | undefined) | null>();

/**
 * `file`'s module, loaded synchronously: `require` gets an ES module's namespace (Node ≥ 20.19;
 * kysely has no top-level await), the same one `import` of its URL gets, or a CommonJS file's
 * exports. `undefined` when it cannot be loaded or has no `Kysely` class (a revision importing it
 * fails with its own error).
 */
function requireKysely(file: string): KyselyModule | undefined {
  try {
    const mod = createRequire(file)(file) as Partial<KyselyModule> | null;
    return typeof mod?.Kysely === 'function' && typeof mod.SqliteDialect === 'function' ? (mod as KyselyModule) : undefined;
  } catch {
    return undefined;
  }
}

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
