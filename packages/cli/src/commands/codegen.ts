import { relative } from 'node:path';
import type { CodegenBindResult } from '@multidb/autogenerate';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type CodegenJson } from '../json-output.js';

/** Options of `migrate codegen`. */
export interface CodegenCommandOptions {
  /** `--verify`: write nothing; report files that differ from the database. */
  readonly verify?: boolean;
  /** `--json`: print {@link CodegenJson}. */
  readonly json?: boolean;
}

/**
 * Prints one line per bind codegen handled: `[db2] Wrote src/db/db2-types.ts` (paths relative to
 * the working folder); notes about skipped binds go to stderr.
 * @returns whether every file is current (only meaningful with `--verify`).
 */
export function printCodegenResults(ctx: CliContext, results: readonly CodegenBindResult[]): boolean {
  const where = (file: string | undefined) => (file === undefined ? '' : relative(ctx.cwd, file) || file);
  for (const r of results) {
    switch (r.outcome) {
      case 'skipped':
        ctx.output.err(r.reason ?? `[${r.bind}] skipped.`);
        break;
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
    }
  }
  const outdated = results.filter((r) => r.outcome === 'stale' || r.outcome === 'missing');
  if (outdated.length) ctx.output.err(`Types out of date for ${outdated.map((r) => r.bind).join(', ')}: run 'migrate codegen ${outdated.map((r) => r.bind).join(' ')}' and commit the files.`);
  return outdated.length === 0;
}

/**
 * `migrate codegen [BIND...]`: writes each bind's Kysely `DB` interface to its `types` file;
 * `--verify` writes nothing and reports stale files (`--json`: {@link CodegenJson}).
 * @returns whether every file is current (the CLI exits 4, "differences found", otherwise).
 */
export async function codegenCommand(ctx: CliContext, binds: readonly string[], options: CodegenCommandOptions = {}): Promise<boolean> {
  const { codegen } = await import('@multidb/autogenerate');
  return withEnvironment(ctx, async (env) => {
    const results = await codegen(env, binds, { verify: options.verify ?? false });
    if (!options.json) return printCodegenResults(ctx, results);
    printJson(ctx.output, { binds: results } satisfies CodegenJson);
    return results.every((r) => r.outcome !== 'stale' && r.outcome !== 'missing');
  });
}
