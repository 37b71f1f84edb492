import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isModels, ScriptError, type MigrationEnvironment, type Models } from '@multidb/core';
import { ModelsError } from './autogenerate-errors.js';

/**
 * Loads a bind's models: the module its config's `models` names (relative to the config file),
 * whose default export is `defineModels(…)`.
 *
 * @returns the models, or `undefined` when the bind has no `models` setting (autogenerate then
 *   skips it, never treating it as empty models).
 * @throws {@link ModelsError} naming the bind and file: the file is missing, does not load, does
 *   not export `defineModels(…)` by default, or names Drizzle tables (not supported yet).
 * @example
 * ```ts
 * const models = await loadModels(env, 'db2');
 * if (!models) console.log('db2 has no models');
 * ```
 */
export async function loadModels(env: MigrationEnvironment, bind: string): Promise<Models | undefined> {
  const setting = env.bind(bind).config.models;
  if (setting === undefined) return undefined;
  if (typeof setting !== 'string') {
    const file = resolve(env.loaded.baseDir, setting.drizzle);
    throw new ModelsError(bind, file, 'Drizzle table definitions as models are not supported yet; declare the tables with defineModels() from @multidb/core.');
  }
  const file = resolve(env.loaded.baseDir, setting);
  if (!existsSync(file)) throw new ModelsError(bind, file, `file not found (binds.${bind}.models is relative to ${env.loaded.path}).`);
  let mod: unknown;
  try {
    mod = await env.loader.import(file);
  } catch (error) {
    const reason = error instanceof ScriptError ? error.message : error instanceof Error ? error.message : String(error);
    throw new ModelsError(bind, file, `does not load: ${reason}`, { cause: error });
  }
  const models = (mod as { default?: unknown } | null)?.default;
  if (!isModels(models)) throw new ModelsError(bind, file, "its default export must be defineModels({ tables: [...] }) from '@multidb/core'.");
  return models;
}
