import { closestKey } from '../edit-distance.js';
import { keysOf } from '../option-keys.js';
import type { NamingConvention } from '../schema/naming-convention.js';
import type { AutogenerateOptions } from './autogenerate-options.js';
import type { BindConfig, MultidbConfig } from './multidb-config.js';

/** The settings a config object may hold at each level it is checked at. */
export const CONFIG_KEYS = Object.freeze({
  /** The top level ({@link MultidbConfig}). */
  config: keysOf<MultidbConfig>({
    directory: true,
    versionTable: true,
    namingConvention: true,
    binds: true,
    transactionMode: true,
    autogenerate: true,
    codegen: true,
    hooks: true,
  }),
  /** A bind (`binds.<name>`, {@link BindConfig}). */
  bind: keysOf<BindConfig>({
    url: true,
    kysely: true,
    dialect: true,
    branch: true,
    onConnect: true,
    schema: true,
    versionTableSchema: true,
    connectTimeout: true,
    models: true,
    autogenerate: true,
    types: true,
    codegen: true,
  }),
  /** `hooks`. */
  hooks: keysOf<NonNullable<MultidbConfig['hooks']>>({ beforeRun: true, afterRun: true }),
  /** `autogenerate` and `binds.<name>.autogenerate` ({@link AutogenerateOptions}). */
  autogenerate: keysOf<AutogenerateOptions>({
    includeObject: true,
    includeName: true,
    compareType: true,
    compareServerDefault: true,
    processRevisionDirectives: true,
    postWrite: true,
    dropUnmodeledTables: true,
  }),
  /** `namingConvention` ({@link NamingConvention}). */
  namingConvention: keysOf<NamingConvention>({ ix: true, uq: true, fk: true, ck: true, pk: true }),
  /** `binds.<name>.models` when it is an object naming Drizzle tables (not `defineModels(…)`'s). */
  models: keysOf<Extract<NonNullable<BindConfig['models']>, { readonly drizzle: string }>>({ drizzle: true }),
});

/** A level of the config whose keys {@link unknownKeyProblem} checks. */
export type ConfigLevel = keyof typeof CONFIG_KEYS;

/** What a level takes, as said after "unknown setting …:" when no key is close. */
const TAKES: Readonly<Record<ConfigLevel, string>> = {
  config: 'the config takes',
  bind: 'a bind takes',
  hooks: 'hooks takes',
  autogenerate: 'autogenerate takes',
  namingConvention: 'namingConvention takes',
  models: "models takes a module path ('./src/models/db.ts'), defineModels({ tables: [...] }), or { drizzle: './src/db/schema.ts' } with",
};

/** A key path as written in a config: `binds.db2.models`, `binds["my db"]`. */
export function keyPath(parent: string, key: string): string {
  const part = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  if (!parent) return part;
  return part.startsWith('"') ? `${parent}[${part}]` : `${parent}.${part}`;
}

/**
 * Where a key that belongs to another level of the config goes, said to follow "unknown setting
 * X:" (top-level `beforeRun` goes under `hooks`; a bind's `versionTable` is project-wide…), or
 * `undefined` when the key is not known elsewhere either.
 */
function misplaced(level: ConfigLevel, path: string, key: string): string | undefined {
  const isHook = CONFIG_KEYS.hooks.includes(key);
  const isAutogenerate = CONFIG_KEYS.autogenerate.includes(key);
  if (level === 'config') {
    if (isHook) return `hooks go under hooks, e.g. hooks: { ${key}: async (ctx) => { … } }.`;
    if (isAutogenerate) return `autogenerate settings go under autogenerate (for every bind) or binds.<name>.autogenerate, e.g. autogenerate: { ${key}: … }.`;
    if (CONFIG_KEYS.bind.includes(key)) {
      return `${key} is a setting of each bind: put it under binds.<name>, e.g. binds: { default: { url: '…'${key === 'url' ? '' : `, ${key}: …`} } }.`;
    }
  }
  if (level === 'bind') {
    if (isHook) return `hooks are set once for the whole run, at the top level of the config: hooks: { ${key}: async (ctx) => { … } }.`;
    if (isAutogenerate) return `autogenerate settings of a bind go under ${keyPath(path, 'autogenerate')}, e.g. autogenerate: { ${key}: … }.`;
    if (CONFIG_KEYS.config.includes(key)) return `${key} is a setting of the whole project: put it at the top level of the config, not in a bind.`;
  }
  return undefined;
}

/**
 * Why a config object holds a key its level does not take (a misspelling such as `modles` or
 * `versionTabel`, or a setting at the wrong level such as a top-level `beforeRun`): the key's path
 * and the known key it most likely meant, where it goes, or what the level takes. A config's keys
 * are read by name, so an unknown one would otherwise be ignored without a word (a misspelled
 * `versionTable` would read another version table).
 * @param level - which part of the config `value` is.
 * @param path - the path of `value` in the config (`''` for the top level, `'binds.db2'`).
 * @param value - the object whose own enumerable keys are checked.
 * @returns the problem, phrased to follow `<file>: `, for the first unknown key; `undefined` when
 *   every key is known.
 * @example
 * ```ts
 * unknownKeyProblem('bind', 'binds.a', { url: 'sqlite:a.db', modles: './m.ts' });
 * // 'unknown setting binds.a.modles: did you mean models?'
 * unknownKeyProblem('config', '', { binds: {}, beforeRun: () => {} });
 * // 'unknown setting beforeRun: hooks go under hooks, e.g. hooks: { beforeRun: async (ctx) => { … } }.'
 * ```
 */
export function unknownKeyProblem(level: ConfigLevel, path: string, value: object): string | undefined {
  const known = CONFIG_KEYS[level];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    // A CommonJS module's interop marker, when a config module's exports are its config.
    if (level === 'config' && key === '__esModule') continue;
    const where = keyPath(path, key);
    const elsewhere = misplaced(level, path, key);
    if (elsewhere) return `unknown setting ${where}: ${elsewhere}`;
    const meant = closestKey(key, known);
    if (meant) return `unknown setting ${where}: did you mean ${meant}?`;
    return `unknown setting ${where}: ${TAKES[level]} ${known.join(', ')}.`;
  }
  return undefined;
}
