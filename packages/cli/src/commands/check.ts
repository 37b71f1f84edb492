import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type CheckJson } from '../json-output.js';

/**
 * `migrate check [BIND...]`: whether each bind's database matches its models, for CI. Prints the
 * differences per bind (`--json`: {@link CheckJson}).
 * @returns whether every checked bind matches (the CLI exits 4, "differences found", otherwise).
 * @throws `NoModelsError` (exit 1) when none of the binds checked has models: nothing would be compared.
 */
export async function checkCommand(ctx: CliContext, binds: readonly string[], options: { json?: boolean } = {}): Promise<boolean> {
  const { check } = await import('@multidb/autogenerate');
  return withEnvironment(ctx, async (env) => {
    const results = await check(env, binds);
    if (options.json) {
      printJson(ctx.output, { binds: results } satisfies CheckJson);
      return results.every((r) => r.outcome !== 'differs');
    }
    for (const r of results) {
      for (const warning of r.warnings) ctx.output.err(`[${r.bind}] WARNING: ${warning.replace(/^\[[^\]]+\] /, '')}`);
      if (r.outcome === 'match') ctx.output.out(`[${r.bind}] No changes in schema detected.`);
      for (const change of r.changes) ctx.output.out(`[${r.bind}] ${change.line}`);
    }
    const differs = results.filter((r) => r.outcome === 'differs');
    if (differs.length) ctx.output.err(`Differences found in ${differs.map((r) => r.bind).join(', ')}: run 'migrate migrate -m <message>' to write a revision.`);
    return differs.length === 0;
  });
}
