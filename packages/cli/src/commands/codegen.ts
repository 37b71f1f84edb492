import { relative } from 'node:path';
import type { CodegenBindResult } from '@multidb/autogenerate';
import { oneLine } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type CodegenJson } from '../json-output.js';
import { formatMisconfigured, formatUnreachable } from '../output.js';
import { BranchGroups, summarisedBinds, type SummarisedBranch } from '../render-events.js';

/** Options of `migrate codegen`. */
export interface CodegenCommandOptions {
  /** `--verify`: write nothing; report files that differ from the database. */
  readonly verify?: boolean;
  /** `--json`: print {@link CodegenJson}. */
  readonly json?: boolean;
}

/** What the `Could not generate` line calls a failed outcome. */
const FAILED_AS: Readonly<Record<string, string>> = { misconfigured: 'misconfigured', unreachable: 'unreachable', error: 'error' };

/** The verdict of a `migrate codegen`: `'failed'` (exit 1) when a bind's types could not be generated, else `'stale'` (exit 4) when a file is stale or missing (`--verify`), else `'ok'`. */
export type CodegenVerdict = 'ok' | 'stale' | 'failed';

/**
 * The most severe of the binds' outcomes (see {@link CodegenVerdict}).
 * @example
 * ```ts
 * codegenVerdict([{ outcome: 'stale' }, { outcome: 'unreachable' }]); // 'failed'
 * ```
 */
export function codegenVerdict(results: readonly Pick<CodegenBindResult, 'outcome'>[]): CodegenVerdict {
  if (results.some((r) => r.outcome in FAILED_AS)) return 'failed';
  return results.some((r) => r.outcome === 'stale' || r.outcome === 'missing') ? 'stale' : 'ok';
}

/**
 * Prints one line per bind codegen handled: `[db2] Wrote src/db/db2-types.ts` (paths relative to
 * the working folder); notes about skipped binds go to stderr, and so does an
 * `ERROR: [db2] misconfigured: has no url: …` (or `unreachable: …`) line for each bind whose
 * types could not be generated, then, with several binds, `Could not generate the types of N of
 * M binds: db2 (misconfigured).` Given `branchOf`, a branch with more than `PER_BIND_LINES_MAX`
 * binds (tenants) gets its skipped binds grouped by why, the odd ones named (`[tenant ×2000]
 * Skipped (shares its types file with t0000, which generates it) on 1999 binds`).
 * @param branchOf - each bind's branch (`(bind) => env.bind(bind).branch`); without it, no grouping.
 * @returns whether every file is current (only meaningful with `--verify`) and every bind's types were generated.
 */
export function printCodegenResults(ctx: CliContext, results: readonly CodegenBindResult[], branchOf?: (bind: string) => string): boolean {
  const where = (file: string | undefined) => (file === undefined ? '' : relative(ctx.cwd, file) || file);
  // Many binds on one branch (tenants): the skipped ones (sharing one types file) grouped by why.
  const summarised = branchOf ? summarisedBinds(results.map((r) => ({ bind: r.bind, branch: branchOf(r.bind) }))) : new Map<string, SummarisedBranch>();
  const skipped = new BranchGroups();
  for (const r of results) {
    switch (r.outcome) {
      case 'skipped': {
        const branch = summarised.get(r.bind);
        const why = r.reason?.replace(/^\[[^\]]+\] /, '').replace(/: skipped\.$/, '');
        if (!branch || why === undefined) {
          ctx.output.err(r.reason ?? `[${r.bind}] skipped.`);
          break;
        }
        skipped.add(branch, `Skipped (${why})`, r.bind);
        break;
      }
      case 'written':
        ctx.output.out(`[${r.bind}] Wrote ${where(r.file)}`);
        break;
      case 'unchanged':
        ctx.output.out(`[${r.bind}] ${where(r.file)} is up to date.`);
        break;
      case 'current':
        ctx.output.out(`[${r.bind}] ${where(r.file)} matches the database.`);
        break;
      case 'stale':
        ctx.output.out(`[${r.bind}] ${where(r.file)} differs from the database.`);
        break;
      case 'missing':
        ctx.output.out(`[${r.bind}] ${where(r.file)} is missing.`);
        break;
      case 'misconfigured':
        ctx.output.err(`ERROR: [${r.bind}] ${formatMisconfigured(r.bind, oneLine(r.reason ?? r.outcome))}`);
        break;
      case 'unreachable':
        ctx.output.err(`ERROR: [${r.bind}] ${formatUnreachable(r.bind, oneLine(r.reason ?? r.outcome))}`);
        break;
      case 'error': {
        const reason = oneLine(r.reason ?? r.outcome);
        ctx.output.err(`ERROR: ${reason.startsWith(`[${r.bind}] `) ? reason : `[${r.bind}] ${reason}`}`);
        break;
      }
    }
  }
  for (const line of skipped.lines()) ctx.output.err(line);
  const outdated = results.filter((r) => r.outcome === 'stale' || r.outcome === 'missing');
  if (outdated.length) ctx.output.err(`Types out of date for ${outdated.map((r) => r.bind).join(', ')}: run 'migrate codegen ${outdated.map((r) => r.bind).join(' ')}' and commit the files.`);
  const failed = results.filter((r) => r.outcome in FAILED_AS);
  if (failed.length && results.length > 1) {
    ctx.output.err(`Could not generate the types of ${failed.length} of ${results.length} binds: ${failed.map((r) => `${r.bind} (${FAILED_AS[r.outcome]})`).join(', ')}.`);
  }
  return codegenVerdict(results) === 'ok';
}

/**
 * `migrate codegen [BIND...]`: writes each bind's Kysely `DB` interface to its `types` file;
 * `--verify` writes nothing and reports stale files (`--json`: {@link CodegenJson}). Every bind is
 * handled: one whose types cannot be generated (no URL, unreachable) is reported and the next
 * ones still are.
 * @returns the {@link CodegenVerdict}: the CLI exits 1 for `'failed'`, 4 ("differences found") for `'stale'`.
 */
export async function codegenCommand(ctx: CliContext, binds: readonly string[], options: CodegenCommandOptions = {}): Promise<CodegenVerdict> {
  const { codegen } = await import('@multidb/autogenerate');
  return withEnvironment(ctx, async (env) => {
    const results = await codegen(env, binds, { verify: options.verify ?? false });
    if (options.json) printJson(ctx.output, { binds: results } satisfies CodegenJson);
    else printCodegenResults(ctx, results, (bind) => env.bind(bind).branch);
    return codegenVerdict(results);
  });
}
