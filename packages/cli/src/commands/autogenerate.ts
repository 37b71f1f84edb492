import { BindRequiredError } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type AutogenerateJson } from '../json-output.js';
import { promptRenames } from '../rename-prompt.js';

/** Options of `migrate migrate` (and `revision --autogenerate`) as the command line gives them. */
export interface AutogenerateCommandLineOptions {
  readonly message?: string;
  readonly bind?: readonly string[];
  /** `--rename users.name=users.full_name` (repeatable). */
  readonly rename?: readonly string[];
  /** `--no-rename …` (repeatable). */
  readonly noRename?: readonly string[];
  readonly revId?: string;
  /** `revision --autogenerate`: one bind, named with `--bind` when there are several. */
  readonly requireBind?: boolean;
  /** `--json`: print {@link AutogenerateJson} (and ask about no rename: an undecided one is an error). */
  readonly json?: boolean;
  /** `--baseline`: compare with an empty schema (see `AutogenerateCommandOptions.baseline`). */
  readonly baseline?: boolean;
}

/**
 * `migrate migrate -m MSG [--bind B...] [--rename X] [--no-rename X]`: autogenerates one revision
 * per bind (branch) whose models differ from its database, printing what it detected, Alembic
 * style. A possible rename is asked about on a terminal; without one, `--rename`/`--no-rename`
 * must decide it or the command refuses, listing the candidates. A `--rename`/`--no-rename` that
 * matches no candidate in any bind compared gets one warning, after the binds' lines. A bind
 * that cannot be read writes nothing for any bind (autogenerate's `NothingWrittenError`): the
 * other binds' lines (`Detected …`, `No changes in schema detected.`) are still printed, then the
 * error. Autogenerate's package loads only here, so other commands stay fast.
 */
export async function autogenerateCommand(ctx: CliContext, options: AutogenerateCommandLineOptions): Promise<void> {
  const { autogenerate, unmatchedRenameWarnings, NothingWrittenError } = await import('@multidb/autogenerate');
  await withEnvironment(ctx, async (env) => {
    if (options.requireBind && !options.bind?.length && env.binds.length > 1) {
      throw new BindRequiredError("'revision --autogenerate'", env.bindNames, `'--bind ${env.bindNames[0]}'`);
    }
    const interactive = process.stdin.isTTY && process.stderr.isTTY && ctx.interactive !== false && !options.json;
    let results: Awaited<ReturnType<typeof autogenerate>>;
    try {
      results = await autogenerate(env, {
        message: options.message ?? '',
        ...(options.bind?.length ? { binds: options.bind } : {}),
        renames: { accept: options.rename ?? [], reject: options.noRename ?? [] },
        ...(interactive ? { resolveRenames: promptRenames } : {}),
        ...(options.revId !== undefined ? { revId: options.revId } : {}),
        ...(options.baseline ? { baseline: true } : {}),
      });
    } catch (error) {
      // Nothing written, a bind could not be read: what the others detected, before the error.
      if (error instanceof NothingWrittenError && !options.json) for (const c of error.compared) printDetected(ctx, c);
      throw error;
    }
    if (options.json) return printJson(ctx.output, { binds: results, unmatchedRenames: unmatchedRenameWarnings(results) } satisfies AutogenerateJson);
    for (const r of results) {
      printDetected(ctx, r);
      if (r.revision) ctx.output.out(`Generating ${r.revision.path} ...  done`);
    }
    // A decision meets every bind of the run: it is worth a warning only when no bind matched it.
    for (const warning of unmatchedRenameWarnings(results)) ctx.output.err(`WARNING: ${warning}`);
  });
}

/** A compared bind's lines on stderr, Alembic style: its warnings, each change detected, or that none was. */
function printDetected(ctx: CliContext, r: { readonly bind: string; readonly outcome: string; readonly changes: readonly { readonly line: string }[]; readonly warnings: readonly string[] }): void {
  for (const warning of r.warnings) ctx.output.err(`[${r.bind}] WARNING: ${warning.replace(/^\[[^\]]+\] /, '')}`);
  for (const change of r.changes) ctx.output.err(`[${r.bind}] ${change.line}`);
  if (r.outcome === 'no-changes') ctx.output.err(`[${r.bind}] No changes in schema detected.`);
}
