import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { offlineScriptChunks, type MigrationEnvironment, type OfflineScript } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type OfflineJson } from '../json-output.js';
import { BranchGroups, GroupedWarnings, summarisedBinds } from '../render-events.js';
import { UsageError } from '../usage-error.js';

/** The offline options of `upgrade`, `downgrade` and `stamp`. */
export interface OfflineCommandOptions {
  /** `--sql`: print the SQL instead of running it (offline mode). */
  readonly sql?: boolean;
  /** `--output DIR`: with `--sql`, one file per bind (`DIR/<bind>.sql`) instead of stdout. */
  readonly output?: string;
  /** `--json`: the scripts as one {@link OfflineJson} document instead of SQL text. */
  readonly json?: boolean;
}

/**
 * Runs a command's offline variant when `--sql` is given: `make` returns the scripts, which go to
 * stdout (one section per bind, each headed by its comment) or, with `--output DIR`, to
 * `DIR/<bind>.sql`, each file named on stderr in dependency order (a branch with more than
 * `PER_BIND_LINES_MAX` scripts, tenants: one line, `[tenant ×2000] Wrote /out/<bind>.sql (sqlite)
 * on 2000 binds`). A script's `warnings` go to
 * stderr first, as `[bind] WARNING: …` lines (a summarised branch's each once: `[tenant ×2000]
 * WARNING: … (on 2000 binds)`, see `GroupedWarnings`); on stdout, sections in more than one
 * dialect get one more (see {@link mixedDialects}). Scripts are written as they
 * are, unmasked: they are data, not messages. With `--json`, one {@link OfflineJson} document on
 * stdout instead (the scripts, or with `--output` the files written).
 *
 * @param nothing - the line on stderr when there is no SQL to write (default: every selected bind
 *   is at its target).
 * @returns `true` when `--sql` was given and handled; `false` to run the command online.
 * @throws {@link UsageError} for `--output` without `--sql`.
 * @example
 * ```ts
 * if (await runOffline(cliContext, { sql: true }, (env) => commands.upgradeSql(env, ['head']))) return;
 * ```
 */
export async function runOffline(
  ctx: CliContext,
  options: OfflineCommandOptions,
  make: (env: MigrationEnvironment) => Promise<readonly OfflineScript[]>,
  nothing = 'No SQL to write: every selected bind is at its target.',
): Promise<boolean> {
  if (!options.sql) {
    if (options.output !== undefined) throw new UsageError('--output writes the SQL of --sql: add --sql.');
    return false;
  }
  // Each script's branch: many binds on one branch (tenants) get one `Wrote` line.
  const branches = new Map<string, string>();
  const scripts = await withEnvironment(ctx, async (env) => {
    const made = await make(env);
    for (const script of made) branches.set(script.bind, env.bind(script.bind).branch);
    return made;
  });
  if (scripts.length === 0) ctx.output.err(nothing);
  const summarised = summarisedBinds(scripts.map((s) => ({ bind: s.bind, branch: branches.get(s.bind) ?? s.bind })));
  // As an online run: on stderr, also with --json (where each script carries its `warnings`); a
  // summarised branch's (tenants) each once, with the binds that have it.
  const warnings = new GroupedWarnings();
  for (const script of scripts) {
    const branch = summarised.get(script.bind);
    for (const warning of script.warnings ?? []) {
      if (branch) warnings.add(branch, script.bind, warning);
      else ctx.output.err(`[${script.bind}] WARNING: ${warning}`);
    }
  }
  for (const line of warnings.lines()) ctx.output.err(line);
  if (scripts.length === 0 && !options.json) return true;
  if (options.output === undefined && options.json) {
    printJson(ctx.output, { scripts } satisfies OfflineJson);
    return true;
  }
  if (options.output === undefined) {
    const mixed = mixedDialects(scripts);
    if (mixed) ctx.output.err(mixed);
    const rawOutput = ctx.output.raw?.bind(ctx.output);
    if (rawOutput === undefined) {
      ctx.output.out(scripts.map((s) => s.sql).join('\n').replace(/\n$/, ''));
      return true;
    }
    // Each script as it is, in the pieces it was made of, one blank line between two scripts (not
    // one string of them all: a script of 5,000 revisions is 3 MB, and a copy of it would be as
    // much again at the run's peak).
    // `raw` may return a promise (stdout taking the text): each piece waits for the one before.
    const raw = async (text: string): Promise<void> => {
      const written: unknown = rawOutput(text);
      if (written instanceof Promise) await written;
    };
    for (const [i, script] of scripts.entries()) {
      if (i > 0) await raw('\n');
      for (const piece of offlineScriptChunks(script)) await raw(piece);
    }
    return true;
  }
  const dir = resolve(ctx.cwd, options.output);
  // Sync calls, not node:fs/promises: that module costs every command ~3 ms to load (core's fs-async.ts).
  mkdirSync(dir, { recursive: true });
  const written: OfflineJson['scripts'][number][] = [];
  const grouped = new BranchGroups();
  for (const script of scripts) {
    const file = join(dir, `${script.bind}.sql`);
    writeFileSync(file, script.sql);
    written.push({ ...script, file });
    const branch = summarised.get(script.bind);
    if (!branch) {
      ctx.output.err(`Wrote ${file} (bind '${script.bind}', ${script.dialect})`);
      continue;
    }
    const label = `Wrote ${join(dir, '<bind>.sql')} (${script.dialect})`;
    grouped.add(branch, label, script.bind);
  }
  for (const line of grouped.lines()) ctx.output.err(line);
  if (options.json) printJson(ctx.output, { scripts: written } satisfies OfflineJson);
  return true;
}

/**
 * The warning for a script on stdout whose sections are in more than one dialect (a depends-on
 * pulled in another bind's revisions, or binds of several dialects asked for): no one database
 * client can run it whole (`| psql` fails on a MariaDB section). Names the binds of each dialect,
 * in the order of the sections, and `--output DIR`, which writes one file per bind.
 * @param scripts - the scripts, in the order they are printed.
 * @returns the line for stderr; `undefined` when every section is in one dialect.
 * @example
 * ```ts
 * const base = { from: [], to: ['a1'], sql: '' };
 * mixedDialects([{ ...base, bind: 'analytics', dialect: 'mariadb' }, { ...base, bind: 'db2', dialect: 'postgres' }]);
 * // "WARNING: the SQL on stdout is in 2 dialects, one section per bind (mariadb: analytics; postgres: db2): no one database client runs it whole. …"
 * ```
 * @internal
 */
export function mixedDialects(scripts: readonly OfflineScript[]): string | undefined {
  const byDialect = new Map<string, string[]>();
  for (const s of scripts) byDialect.set(s.dialect, [...(byDialect.get(s.dialect) ?? []), s.bind]);
  if (byDialect.size < 2) return undefined;
  const some = (names: readonly string[]) => (names.length <= 20 ? names.join(', ') : `${names.slice(0, 20).join(', ')} and ${names.length - 20} more`);
  return (
    `WARNING: the SQL on stdout is in ${byDialect.size} dialects, one section per bind (${[...byDialect].map(([dialect, binds]) => `${dialect}: ${some(binds)}`).join('; ')}): ` +
    `no one database client runs it whole. '--output DIR' writes one file per bind (DIR/<bind>.sql) and lists them on stderr in the order to run them.`
  );
}
