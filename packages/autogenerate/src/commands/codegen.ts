import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { BindError, checkOptions, ConfigError, DatabaseNotFoundError, EnvironmentBusyError, keysOf, listArgument, MultidbError, oneLine, revisionTypesName, UrlError, type CodegenMode, type MigrationEnvironment, type RunResult } from '@multidb/core';
import type { DatabaseMetadata } from 'kysely-codegen';
import { camelCasePluginOf, type CamelCasePluginLike } from '../codegen/camel-case-plugin-of.js';
import { CodegenAfterRunError } from '../codegen/codegen-after-run-error.js';
import { CodegenError } from '../codegen/codegen-error.js';
import { loadKyselyCodegen } from '../codegen/load-kysely-codegen.js';
import { renderTypesFile, sameTypes } from '../codegen/render-types-file.js';
import { safeColumnComments } from '../codegen/safe-column-comments.js';
import { writeFileAtomically } from '../codegen/write-file-atomically.js';

/** Options of {@link codegen}. */
export interface CodegenOptions {
  /**
   * `--verify`: write nothing; compare each file with what the database gives now (`current`,
   * `stale` or `missing`), all but the header's line naming the alias revisions give `DB`, which
   * follows the revision template, not the database. Default `false`: write the files that changed.
   */
  readonly verify?: boolean;
}

/** The keys of {@link CodegenOptions}. */
const CODEGEN_OPTIONS = keysOf<CodegenOptions>({ verify: true });

/** What `codegen` did for one bind. */
export interface CodegenBindResult {
  /** The bind. */
  readonly bind: string;
  /** Absolute path of its types file (`binds.<bind>.types`); `undefined` when `skipped`. */
  readonly file: string | undefined;
  /**
   * `written`: the file was created or changed; `unchanged`: it was already current (not
   * rewritten); with `verify`: `current`, `stale` (differs) or `missing`; `skipped`: the bind
   * names no `types`, or another bind already generates the same file (see `reason`). The
   * failures (see {@link isCodegenFailure}; its file was neither read nor written, and the next
   * binds were still generated): `misconfigured`, its configuration was refused before connecting
   * (no URL: `binds.db2.url` is undefined, its environment variable unset; a URL no dialect
   * takes); `unreachable`, its database could not be opened (a server down, a SQLite file that
   * does not exist, another command of the environment writing to it); `error`, anything else
   * that stopped its generation (an introspection that failed).
   */
  readonly outcome: CodegenOutcome;
  /** Why a bind was skipped, or could not be generated: one line naming the bind, every password masked. */
  readonly reason?: string;
  /** A failure's stable error code, when it has one (`'URL'`, `'CONNECT'`, `'DATABASE_NOT_FOUND'`, …). */
  readonly code?: string;
}

/** What `codegen` did for one bind (see {@link CodegenBindResult.outcome}). */
export type CodegenOutcome = 'written' | 'unchanged' | 'current' | 'stale' | 'missing' | 'skipped' | 'misconfigured' | 'unreachable' | 'error';

/** The outcomes of a bind whose types could not be generated. */
const FAILURES: ReadonlySet<CodegenOutcome> = new Set<CodegenOutcome>(['misconfigured', 'unreachable', 'error']);

/**
 * Whether {@link codegen} could not generate a bind's types: `misconfigured`, `unreachable` or
 * `error` (the CLI then exits 1, whatever the other binds gave).
 * @param result - one bind's result (or its outcome).
 * @returns true for a failure.
 * @example
 * ```ts
 * for (const r of (await codegen(env)).filter(isCodegenFailure)) console.error(r.reason);
 * ```
 */
export function isCodegenFailure(result: Pick<CodegenBindResult, 'outcome'> | CodegenOutcome): boolean {
  return FAILURES.has(typeof result === 'string' ? result : result.outcome);
}

/**
 * When a bind's types are regenerated: its own `codegen` setting, else the config's top-level
 * `codegen`, else `'manual'`. The earlier name `'after-upgrade'` reads as `'after-run'` (the same
 * mode: after every upgrade and downgrade that changed the bind).
 * @param env - the loaded project.
 * @param bind - the bind's name.
 * @returns `'manual'` or `'after-run'`.
 * @throws `UnknownBindError` for a bind the config does not name.
 * @example
 * ```ts
 * if (codegenModeOf(env, 'db2') === 'after-run') await codegen(env, ['db2']);
 * ```
 */
export function codegenModeOf(env: MigrationEnvironment, bind: string): 'manual' | 'after-run' {
  const mode: CodegenMode = env.bind(bind).config.codegen ?? env.loaded.config.codegen ?? 'manual';
  return mode === 'manual' ? 'manual' : 'after-run';
}

/**
 * The TypeScript source of a bind's Kysely `DB` interface, from its live database through
 * kysely-codegen's programmatic API: every table and view of the bind (on PostgreSQL, of its
 * `schema`, default `public`) except multidb's version table, members sorted by name, under the
 * header of {@link renderTypesFile}; a column comment becomes the member's doc comment, with a
 * backslash put between a star and a slash in it, which would end the doc comment. A bind given
 * a Kysely instance with a `CamelCasePlugin` (`binds.app.kysely`: the application's own) gets
 * camelCase names (kysely-codegen's `camelCase`: `first_name` is `firstName`), the names its
 * `op.db`, which keeps the instance's plugins, takes. Connects the bind; writes nothing.
 * @param env - the loaded project.
 * @param bind - the bind's name.
 * @returns the file's text (the same for the same schema, whatever the database is called).
 * @throws `UnknownBindError`; connection errors; {@link CodegenError} when kysely-codegen cannot
 *   be loaded because the `typescript` package is missing, or when the bind's `CamelCasePlugin`
 *   has options that make a table or column name other than kysely-codegen's `camelCase` writes
 *   (`upperCase`, `underscoreBeforeDigits`, a subclass of its own), naming the name.
 * @example
 * ```ts
 * const source = await generateBindTypes(env, 'db2');
 * ```
 */
export async function generateBindTypes(env: MigrationEnvironment, bind: string): Promise<string> {
  const b = env.bind(bind);
  const name = b.name;
  // One read of the bind (see `env.reading`): an upgrade of this environment started meanwhile waits for it.
  return env.reading(name, async () => {
    const conn = await env.connection(name, { create: false }); // reading: a missing database is an error, never created
    const dialectName = conn.dialect.name;
    const { generate, getDialect, toKyselyCamelCase } = await loadKyselyCodegen(env.loaded.path, name);
    const schema = dialectName === 'postgres' ? (b.config.schema ?? 'public') : undefined;
    const plugin = camelCasePluginOf(b.config.kysely);
    const body = await generate({
      db: conn.plainDb as unknown as Parameters<typeof generate>[0]['db'],
      dialect: getDialect(dialectName === 'postgres' ? 'postgres' : dialectName === 'mysql' ? 'mysql' : 'sqlite'),
      outFile: null,
      skipAutogeneratedFileComment: true,
      typeOnlyImports: true,
      excludePattern: `{${env.versionTable(name).ownTables.join(',')}}`,
      postprocess: async ({ metadata }) => safeColumnComments(plugin ? sameCamelCase(metadata, plugin, toKyselyCamelCase, env, name) : metadata),
      ...(plugin ? { camelCase: true } : {}),
      ...(schema !== undefined ? { includePattern: `${schema}.*`, defaultSchemas: [schema] } : {}),
    });
    // The header names what the server is (its flavour, detected at connect: a mysql:// URL to a
    // MariaDB server is `mariadb`), as `status` does; kysely-codegen reads both flavours as MySQL.
    return renderTypesFile(name, conn.dialect.flavour ?? dialectName, body, revisionTypesName(name, await revisionTemplate(env)));
  });
}

/**
 * The text of the repository's revision template, which decides the name revisions give a bind's
 * types (see `revisionTypesName`); `''` (no clash) when the repository or its template cannot be
 * read: `migrate revision` says so, codegen does not need it.
 */
async function revisionTemplate(env: MigrationEnvironment): Promise<string> {
  try {
    return await readFile((await env.scriptDirectory()).templatePath, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Checks that kysely-codegen's `camelCase` names every table and column as the bind's own
 * `CamelCasePlugin` maps it (they differ when the plugin has options such as `upperCase`); a
 * types file that names a column otherwise than `op.db` does would type-check wrong queries.
 * @returns `metadata`, unchanged.
 * @throws {@link CodegenError} naming the bind, the name and both spellings.
 */
function sameCamelCase(metadata: DatabaseMetadata, plugin: CamelCasePluginLike, codegenName: (name: string) => string, env: MigrationEnvironment, bind: string): DatabaseMetadata {
  const names = metadata.tables.flatMap((t) => [t.name, ...t.columns.map((c) => c.name)]);
  for (const name of names) {
    const own = plugin.camelCase(name);
    const written = codegenName(name);
    if (own !== written) {
      throw new CodegenError(
        `[${bind}] the CamelCasePlugin of binds.${bind}.kysely maps '${name}' to '${own}', but kysely-codegen's camelCase writes '${written}' ` +
          `(plugin options ${JSON.stringify(plugin.opt ?? {})}): use a CamelCasePlugin without options that change names, or write the types yourself.`,
        env.loaded.path,
        bind,
      );
    }
  }
  return metadata;
}

/**
 * `migrate codegen [BIND...]`: writes each bind's Kysely `DB` interface (kysely-codegen) to the
 * file its config names (`binds.db2.types: './src/db/db2-types.ts'`, relative to the config
 * file), so revisions can take `op: Operations<Db2>` and application code can use
 * `Kysely<Db2>`. A file whose text would not change is not rewritten. A file that changes is
 * replaced at once (written to a temporary file beside it, then renamed over it; its mode kept): a
 * `tsc` run meanwhile reads the old text or the new, never part of it, and a write that fails (a
 * full disk) or is interrupted leaves the old file as it was. With `verify` nothing is
 * written: each file is compared with what the database gives now (for CI; the CLI exits 4 when
 * one is `stale` or `missing`), its header's alias line aside (an edit of the revision template
 * can change the alias new revisions give `DB`; the types are as current as they were). The database is read as it is: upgrade it first. Every bind asked
 * about is handled, one after the other: a bind whose types cannot be generated (no URL, its
 * environment variable unset; its server down; its SQLite file missing) is reported as such
 * (`misconfigured`, `unreachable` or `error`, see {@link isCodegenFailure}, with the masked
 * reason; its file left as it is), as is one whose types file cannot be read (`EACCES`, a
 * folder), and the next binds are still generated or verified, so one run names every problem
 * (the CLI then exits 1); binds sharing a types file (tenants) generate it from the first of them
 * that can.
 *
 * @param env - the loaded project.
 * @param binds - bind names, or one bind's name (default: every bind; those without `types` are `skipped`).
 * @param options - {@link CodegenOptions}.
 * @returns one result per bind, in the order given (config order by default).
 * @throws {@link CodegenError} for a named bind without `types`, or when no bind names `types`;
 *   `UnknownBindError`; `UnknownOptionError` when `options` holds a key
 *   {@link CodegenOptions} does not have (`verfiy`), before anything is read or written; the file
 *   system's error when a types file cannot be written (`EACCES`, `ENOSPC`, …: that file is then
 *   unchanged, and the binds after it are not generated).
 * @example
 * ```ts
 * const results = await codegen(env, [], { verify: true });
 * if (results.some(isCodegenFailure)) process.exitCode = 1;
 * else if (results.some((r) => r.outcome === 'stale' || r.outcome === 'missing')) process.exitCode = 4;
 * ```
 */
export async function codegen(env: MigrationEnvironment, binds: string | readonly string[] = [], options: CodegenOptions = {}): Promise<CodegenBindResult[]> {
  checkOptions('codegen()', options, CODEGEN_OPTIONS);
  return codegenOf(env, listArgument(binds, 'codegen() binds', "'db2'"), options, true);
}

/**
 * {@link codegen} of `binds`; with `goOn` a bind whose types cannot be generated is a failed
 * result (see {@link failureOf}), else what failed is thrown (codegen after a run reports it so).
 */
async function codegenOf(env: MigrationEnvironment, binds: readonly string[], options: CodegenOptions, goOn: boolean): Promise<CodegenBindResult[]> {
  const { path: configFile, source: config } = env.loaded; // (a config object has no file)
  const named = binds.length > 0;
  const names = named ? binds.map((b) => env.bind(b).name) : env.bindNames;
  for (const bind of names) {
    if (named && env.bind(bind).config.types === undefined) {
      throw new CodegenError(`bind '${bind}' names no types file: set binds.${bind}.types (e.g. './src/db/${bind}-types.ts') in ${config}.`, configFile, bind);
    }
  }
  if (!names.some((bind) => env.bind(bind).config.types !== undefined)) {
    throw new CodegenError(`No bind names a types file: set binds.<bind>.types (e.g. './src/db/${names[0]}-types.ts') in ${config}.`, configFile);
  }
  const results: CodegenBindResult[] = [];
  const owners = new Map<string, string>();
  for (const bind of names) {
    const types = env.bind(bind).config.types;
    if (types === undefined) {
      results.push({ bind, file: undefined, outcome: 'skipped', reason: `[${bind}] has no types file (binds.${bind}.types): skipped.` });
      continue;
    }
    const file = resolve(env.loaded.baseDir, types);
    const owner = owners.get(file);
    if (owner !== undefined) {
      results.push({ bind, file: undefined, outcome: 'skipped', reason: `[${bind}] shares its types file with ${owner}, which generates it: skipped.` });
      continue;
    }
    let source: string;
    let existing: string | undefined;
    try {
      source = await generateBindTypes(env, bind);
      existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
    } catch (error) {
      if (!goOn) throw error;
      // Not the file's owner: the next bind sharing it generates it (or names its own problem).
      results.push(failureOf(env, bind, file, error));
      continue;
    }
    owners.set(file, bind);
    if (options.verify) {
      // The header's alias line follows the revision template, not the database: not compared.
      results.push({ bind, file, outcome: existing === undefined ? 'missing' : sameTypes(existing, source) ? 'current' : 'stale' });
    } else if (existing === source) {
      results.push({ bind, file, outcome: 'unchanged' });
    } else {
      await mkdir(dirname(file), { recursive: true });
      // Never half written: tsc, an editor or a watcher reads the old file or the new one, and a
      // write that fails (a full disk) or is interrupted leaves the old one.
      await writeFileAtomically(file, source);
      results.push({ bind, file, outcome: 'written' });
    }
  }
  return results;
}

/**
 * The result of a bind whose types could not be generated: `misconfigured` for a configuration
 * refused before connecting (core's `UrlError`: no URL; a `ConfigError`), `unreachable` for a
 * database that could not be opened (`BindError`, `DatabaseNotFoundError`, `EnvironmentBusyError`),
 * else `error`; the reason on one line, masked, naming the bind first.
 */
function failureOf(env: MigrationEnvironment, bind: string, file: string, error: unknown): CodegenBindResult {
  const outcome: CodegenOutcome =
    error instanceof UrlError || (error instanceof ConfigError && !(error instanceof CodegenError))
      ? 'misconfigured'
      : error instanceof BindError || error instanceof DatabaseNotFoundError || error instanceof EnvironmentBusyError
        ? 'unreachable'
        : 'error';
  const message = oneLine(env.mask(error instanceof Error ? error.message : String(error)));
  const prefix = [`[${bind}] `, `Bind '${bind}': `, `Bind '${bind}' `].find((p) => message.startsWith(p));
  const reason = `[${bind}] ${prefix ? message.slice(prefix.length) : message}`;
  const code = error instanceof MultidbError ? error.code : undefined;
  return { bind, file, outcome, reason, ...(code !== undefined ? { code } : {}) };
}

/**
 * The binds whose types {@link codegenAfterRun} regenerates after `result`: those the run changed
 * (one step or more, up or down) that name `types` and whose mode is `'after-run'` (or its earlier
 * name `'after-upgrade'`), in config order. Reads the config only: no connection, no file.
 * @param env - the loaded project.
 * @param result - what core's `upgrade` or `downgrade` returned.
 * @returns bind names; `[]` when there are none (a run without steps, binds in `'manual'` mode).
 * @example
 * ```ts
 * const result = await commands.downgrade(env, 'db2');
 * if (codegenBindsAfterRun(env, result).length > 0) console.error('regenerating types…');
 * ```
 */
export function codegenBindsAfterRun(env: MigrationEnvironment, result: RunResult): string[] {
  const changed = new Set(result.steps.map((s) => s.bind));
  return env.bindNames.filter((bind) => changed.has(bind) && env.bind(bind).config.types !== undefined && codegenModeOf(env, bind) === 'after-run');
}

/**
 * Honours `codegen: 'after-run'` after an upgrade or a downgrade: regenerates the types of the
 * binds {@link codegenBindsAfterRun} names, so each file describes the schema its bind is at now
 * (after a downgrade, the interfaces of the tables it dropped are gone). Binds the run left alone,
 * and binds in `'manual'` mode, are not touched. The CLI's `upgrade` and `downgrade` and the
 * TUI's runs call it; offline (`--sql`) runs and `stamp` change no schema and do not.
 * @param env - the loaded project (its connections still open).
 * @param result - what core's `upgrade` or `downgrade` returned.
 * @returns the results of {@link codegen} for those binds (`[]` when there are none).
 * @throws {@link CodegenAfterRunError} (its `cause`: what codegen threw) when regenerating fails:
 *   the run completed all the same, and its message says so.
 * @example
 * ```ts
 * const result = await commands.downgrade(env, 'db2');
 * for (const r of await codegenAfterRun(env, result)) console.log(r.bind, r.outcome);
 * ```
 */
export async function codegenAfterRun(env: MigrationEnvironment, result: RunResult): Promise<CodegenBindResult[]> {
  const binds = codegenBindsAfterRun(env, result);
  if (binds.length === 0) return [];
  try {
    return await codegenOf(env, binds, {}, false);
  } catch (error) {
    throw new CodegenAfterRunError(result, binds, error);
  }
}

/**
 * @deprecated The earlier name of {@link codegenAfterRun} (the same function: it also honours
 * the mode after a downgrade).
 * @example
 * ```ts
 * await codegenAfterUpgrade(env, await commands.upgrade(env, []));
 * ```
 */
export const codegenAfterUpgrade: typeof codegenAfterRun = codegenAfterRun;
