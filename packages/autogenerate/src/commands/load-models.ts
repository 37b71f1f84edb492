import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineModels, isModels, ScriptError, type MigrationEnvironment, type Models } from '@multidb/core';
import { DrizzleSchemaError, drizzleModels, importDrizzle } from '../drizzle/drizzle-models.js';
import { ModelsError } from './autogenerate-errors.js';

/**
 * Loads a bind's models: the module its config's `models` names (relative to the config file),
 * whose default export is `defineModels(…)`; the models themselves when `models` is
 * `defineModels(…)` (a config object built in memory); or, for `models: { drizzle: './src/db/schema.ts' }`,
 * a module exporting Drizzle ORM tables (`pgTable`, `mysqlTable`, `sqliteTable`, and `pgEnum`s),
 * read through drizzle-orm's `getTableConfig` into the same shape (drizzle-orm, an optional peer,
 * is imported only then). Drizzle's names are kept: its default names of foreign keys, unique
 * constraints and composite keys are the ones drizzle-kit creates.
 *
 * @returns the models, or `undefined` when the bind has no `models` setting (autogenerate then
 *   skips it, never treating it as empty models).
 * @throws {@link ModelsError} naming the bind and file: the file is missing, does not load, does
 *   not export `defineModels(…)` by default; for Drizzle: drizzle-orm is not installed, the module
 *   exports no table, mixes dialects, or its tables' dialect is not the bind's.
 * @example
 * ```ts
 * const models = await loadModels(env, 'db2');
 * if (!models) console.log('db2 has no models');
 * ```
 */
export async function loadModels(env: MigrationEnvironment, bind: string): Promise<Models | undefined> {
  const setting = env.bind(bind).config.models;
  if (setting === undefined) return undefined;
  if (isModels(setting)) return setting;
  const file = resolve(env.loaded.baseDir, typeof setting === 'string' ? setting : setting.drizzle);
  if (!existsSync(file)) {
    // Relative to the config file's folder; a config object has no file, but a baseDir.
    const base = env.loaded.path ?? `${env.loaded.baseDir}, the baseDir of ${env.loaded.source}`;
    throw new ModelsError(bind, file, `file not found (binds.${bind}.models is relative to ${base}).`);
  }
  let drizzle: Awaited<ReturnType<typeof importDrizzle>> | undefined;
  if (typeof setting !== 'string') {
    try {
      drizzle = await importDrizzle();
    } catch (error) {
      throw new ModelsError(bind, file, `names Drizzle tables, but drizzle-orm cannot be imported (npm install drizzle-orm): ${(error as Error).message}`, { cause: error });
    }
  }
  let mod: unknown;
  try {
    mod = await env.loader.import(file);
  } catch (error) {
    const reason = error instanceof ScriptError ? error.message : error instanceof Error ? error.message : String(error);
    throw new ModelsError(bind, file, `does not load: ${reason}`, { cause: error });
  }
  if (drizzle) return drizzleModelsOf(env, bind, file, mod as Record<string, unknown>, drizzle);
  const models = (mod as { default?: unknown } | null)?.default;
  if (!isModels(models)) throw new ModelsError(bind, file, "its default export must be defineModels({ tables: [...] }) from '@multidb/core'.");
  return models;
}

async function drizzleModelsOf(
  env: MigrationEnvironment,
  bind: string,
  file: string,
  mod: Readonly<Record<string, unknown>>,
  drizzle: Awaited<ReturnType<typeof importDrizzle>>,
): Promise<Models> {
  try {
    const schema = env.bind(bind).config.schema;
    const { dialect, definition } = drizzleModels(mod ?? {}, drizzle, schema !== undefined ? { schema } : {});
    const bindDialect = env.dialectName(bind);
    if (dialect !== bindDialect) throw new DrizzleSchemaError(`its tables are ${dialect} tables, but bind '${bind}' is a ${bindDialect} database.`);
    return defineModels(definition);
  } catch (error) {
    throw new ModelsError(bind, file, `Drizzle tables: ${(error as Error).message}`, { cause: error });
  }
}
