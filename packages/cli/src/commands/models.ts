import { resolve } from 'node:path';
import { MultidbError } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';

/** Options of `migrate models` as the command line gives them. */
export interface ModelsCommandLineOptions {
  /** `--from-database`: read the models from the bind's live database (the only source so far). */
  readonly fromDatabase?: boolean;
  /** `--bind B`. */
  readonly bind?: string;
  /** `--output FILE`, relative to the current folder. */
  readonly output?: string;
  /** `--force`: overwrite an existing file. */
  readonly force?: boolean;
}

/**
 * `migrate models --from-database [--bind B] [--output FILE] [--force]`: writes a bind's models
 * module from its live database: to FILE, else to the bind's configured `models` path (an existing
 * file is kept unless `--force`), else to stdout. Says on stderr what to run next to adopt the
 * database.
 */
export async function modelsCommand(ctx: CliContext, options: ModelsCommandLineOptions): Promise<void> {
  if (!options.fromDatabase) {
    throw new MultidbError("'migrate models' needs a source: --from-database (writes a bind's models from its live database).", 'USAGE');
  }
  const { modelsFromDatabase } = await import('@multidb/autogenerate');
  await withEnvironment(ctx, async (env) => {
    const result = await modelsFromDatabase(env, {
      ...(options.bind !== undefined ? { bind: options.bind } : {}),
      // --output is relative to where migrate runs, not to the config file.
      ...(options.output !== undefined ? { output: resolve(ctx.cwd, options.output) } : {}),
      force: options.force ?? false,
    });
    for (const note of result.notes) ctx.output.err(`[${result.bind}] NOTE: ${note}`);
    if (result.file === undefined) {
      // Through the masking output like every other line (never `raw`): no secret gets printed.
      ctx.output.out(result.source.replace(/\n$/, ''));
      return;
    }
    ctx.output.err(`[${result.bind}] Wrote ${result.file} (${count(result.tables, 'table')}, ${count(result.enums, 'enum')}).`);
    ctx.output.err(nextStep(result.bind, result.current));
  });
}

/**
 * What to run after the models are written. A bind at base is adopted: a baseline revision (the
 * whole schema, `--baseline`), then a stamp. A bind whose version table has rows is versioned already: stamping it
 * `@head` would mark its pending revisions applied without running them, so it is not suggested.
 */
function nextStep(bind: string, current: readonly string[]): string {
  if (current.length === 0) {
    return (
      `[${bind}] Next: review the models; write a baseline revision that creates this schema in a fresh database ` +
      `('migrate revision --autogenerate --baseline -m baseline --bind ${bind}'; not on a branch that has revisions already), ` +
      `then 'migrate stamp ${bind}@head'; from then on 'migrate migrate -m MSG' as usual.`
    );
  }
  return (
    `[${bind}] Next: review the models; 'migrate check ${bind}' compares them with the database. ` +
    `The bind is versioned already (at ${current.join(', ')}): no baseline or stamp is needed ('migrate upgrade ${bind}' runs what is pending).`
  );
}

/** `1 table`, `2 tables`, `0 enums`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
