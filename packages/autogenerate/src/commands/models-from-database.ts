import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { BindRequiredError, checkOptions, isModels, keysOf, type MigrationEnvironment } from '@multidb/core';
import { describeMigrationToolTables, migrationToolOf } from '../compare/migration-tool-tables.js';
import { renderModels } from '../render/render-models.js';
import { ModelsFileExistsError } from './autogenerate-errors.js';
import { autogenerateOptionsOf } from './compare-bind.js';
import { filterByIncludeHooks, type FilteredByIncludeHooks } from './filter-by-include-hooks.js';

/** Options of {@link modelsFromDatabase}. */
export interface ModelsFromDatabaseOptions {
  /** The bind to read (`--bind`). Required when the config has several binds. */
  readonly bind?: string;
  /**
   * Where to write the module (`--output`); relative to the config file's folder. Omitted: the
   * bind's configured `models` path; with none (or Drizzle models), nothing is written and the
   * source is only returned.
   */
  readonly output?: string;
  /** Overwrite an existing file (`--force`). Default `false`: refuse. */
  readonly force?: boolean;
}

/** The keys of {@link ModelsFromDatabaseOptions}. */
const MODELS_FROM_DATABASE_OPTIONS = keysOf<ModelsFromDatabaseOptions>({ bind: true, output: true, force: true });

/** What {@link modelsFromDatabase} read and wrote. */
export interface ModelsFromDatabaseResult {
  /** The bind read. */
  readonly bind: string;
  /** The models module's source (`defineModels({…})`), formatted. */
  readonly source: string;
  /** The file written (absolute); omitted when nothing was written (print `source`). */
  readonly file?: string;
  /** How many tables the module declares. */
  readonly tables: number;
  /** How many enums it declares. */
  readonly enums: number;
  /**
   * Notes, e.g. why the module was not written to the configured path, which other migration
   * tool's tables were left out, or what the bind's `includeName` / `includeObject` left out.
   */
  readonly notes: readonly string[];
  /**
   * The bind's version-table rows as read with the schema (`[]`: base, no revision recorded). A
   * bind at base is one to adopt (stamp it, after an optional baseline revision); one with rows is
   * already versioned, and stamping it would mark its pending revisions applied without running them.
   */
  readonly current: readonly string[];
}

/**
 * `migrate models --from-database`: reads a bind's live database (multidb's version table left
 * out, and another migration tool's bookkeeping tables too, such as `kysely_migration` or
 * `alembic_version`, named in a note and in the module's header comment; so is what the bind's
 * `includeName` / `includeObject` hooks leave out of autogenerate, asked as a comparison of the
 * written models with this database asks: see {@link filterByIncludeHooks}) and writes its models module in the `defineModels` format that autogenerate reads, with
 * the names the naming convention gives left out and the database's own names kept where they
 * differ, so comparing the models with the same database finds no change. The first step of
 * adopting an existing database: then write a baseline revision (`autogenerate` with `baseline: true`: the whole schema) and `stamp` the bind, and
 * autogenerate as usual.
 *
 * @param env - the loaded project.
 * @param options - bind, output file, force.
 * @returns the source, the file written if any, and the bind's version-table rows (`current`).
 * @throws `BindRequiredError` (several binds, none named), `UnknownBindError`, whatever a hook throws,
 *   {@link ModelsFileExistsError} (the file exists and `force` is not set), connection errors;
 *   `UnknownOptionError` when `options` holds a key {@link ModelsFromDatabaseOptions} does not
 *   have (`out`), before the database is opened.
 * @example
 * ```ts
 * const result = await modelsFromDatabase(env, { bind: 'db2', output: 'src/models/db2.ts' });
 * console.log(result.file ?? result.source);
 * ```
 */
export async function modelsFromDatabase(env: MigrationEnvironment, options: ModelsFromDatabaseOptions = {}): Promise<ModelsFromDatabaseResult> {
  checkOptions('modelsFromDatabase()', options, MODELS_FROM_DATABASE_OPTIONS);
  const names = env.bindNames;
  if (options.bind === undefined && names.length !== 1) throw new BindRequiredError("'models --from-database'", names, `'--bind ${names[0]}'`);
  const bind = env.bind(options.bind ?? names[0]!);
  // One read of the bind (see `env.reading`): an upgrade of this environment started meanwhile waits for it.
  const { conn, snapshot, current } = await env.reading(bind.name, async () => {
    const conn = await env.connection(bind.name, { create: false }); // reading: a missing database is an error, never created
    // The bind's schema (the connection's default), unqualified: the models then name no schema, as
    // the ops of its revisions, and suit every bind of the branch whatever its schema (tenants).
    const snapshot = await conn.introspect({ exclude: [...env.versionTable(bind.name).ownTables] });
    // Where the bind stands: at base it is one to adopt; with rows it is versioned already.
    const current = (await env.currentHeads([bind.name])).get(bind.name) ?? [];
    return { conn, snapshot, current };
  });
  // Another migration tool's bookkeeping tables are the tool's, not the app's: left out.
  const toolTables = snapshot.tables.filter((t) => migrationToolOf(t.name) !== undefined).map((t) => t.name);
  const leftOut = describeMigrationToolTables(toolTables);
  // And what the bind's includeName / includeObject leave out of autogenerate: not the app's models
  // either (a baseline would otherwise create it in a fresh database).
  const hooks = autogenerateOptionsOf(env, bind.name);
  const filtered = filterByIncludeHooks(
    { ...snapshot, tables: snapshot.tables.filter((t) => migrationToolOf(t.name) === undefined) },
    {
      comparator: conn.dialect.comparator,
      capabilities: conn.dialect.capabilities,
      namingConvention: env.namingConvention,
      ...(hooks.includeName ? { includeName: hooks.includeName } : {}),
      ...(hooks.includeObject ? { includeObject: hooks.includeObject } : {}),
    },
  );
  const { tables, enums } = filtered.snapshot;
  const hooked = filtered.leftOut.join(', ');
  const source = renderModels(filtered.snapshot, env.namingConvention, {
    header:
      `Models of bind '${bind.name}' (${conn.dialect.name}), read from its database by 'migrate models --from-database'.` +
      (leftOut ? `\nLeft out, as another migration tool's tables (autogenerate never drops them): ${leftOut}.` : '') +
      (hooked ? `\nLeft out, as the bind's includeName / includeObject leave them out of autogenerate: ${hooked}.` : ''),
  });
  const notes: string[] = [];
  if (leftOut) {
    notes.push(
      `left out ${leftOut}: another migration tool's bookkeeping, not models. multidb keeps its own version table ` +
        `(${env.versionTable(bind.name).name}) beside them; autogenerate leaves them alone (never drops them), so that tool ` +
        `still works; drop them in a revision (op.dropTable) once it no longer migrates this database.`,
    );
  }
  notes.push(...includeHookNotes(bind.config.autogenerate ? `binds.${bind.name}.autogenerate` : "the config's autogenerate", filtered));
  const setting = bind.config.models;
  let target: string | undefined;
  if (options.output !== undefined) target = resolve(env.loaded.baseDir, options.output);
  else if (typeof setting === 'string') target = resolve(env.loaded.baseDir, setting);
  else if (isModels(setting)) notes.push(`binds.${bind.name}.models is given as defineModels(…), not a module: nothing written (pass --output FILE to write the module).`);
  else if (setting !== undefined) notes.push(`binds.${bind.name}.models names Drizzle tables: not overwritten (pass --output FILE to write the module).`);
  const counts = { tables: tables.length, enums: enums.length };
  if (target === undefined) return { bind: bind.name, source, ...counts, notes, current };
  await mkdir(dirname(target), { recursive: true });
  try {
    await writeFile(target, source, { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ModelsFileExistsError(bind.name, target);
    throw error;
  }
  return { bind: bind.name, source, file: target, ...counts, notes, current };
}

/**
 * The notes of what the bind's `includeName` / `includeObject` left out of the models (see
 * {@link filterByIncludeHooks}); `where` names the setting the hooks come from.
 */
function includeHookNotes(where: string, filtered: FilteredByIncludeHooks): string[] {
  const notes: string[] = [];
  if (filtered.leftOut.length) {
    notes.push(
      `left out ${filtered.leftOut.join(', ')}: ${where} (includeName / includeObject) leaves them out of autogenerate, ` +
        `which never creates, changes nor drops them; a baseline revision does not create them in a fresh database.`,
    );
  }
  if (filtered.keptForUse.length) {
    notes.push(
      `kept column ${filtered.keptForUse.join(', ')}, which ${where} (includeObject) leaves out: what uses it is compared, ` +
        `so the models declare the column too; leave that out as well to leave the column out.`,
    );
  }
  if (filtered.dangling.length) {
    notes.push(
      `kept foreign key ${filtered.dangling.join(', ')}, to what is left out: a fresh database made from these models cannot have it ` +
        `(a baseline revision refuses it). Include what it refers to, or leave the foreign key out too.`,
    );
  }
  return notes;
}
