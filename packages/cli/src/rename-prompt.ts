import type { RenameCandidate, RenameDecisions } from '@multidb/autogenerate';

/**
 * Asks, on the terminal, whether each rename candidate is a rename (Alembic cannot tell; drizzle-kit
 * asks the same way). Answers other than y/yes mean "no": the old table or column is dropped and
 * the new one added.
 *
 * @param bind - the bind compared, named in the question.
 * @param candidates - the undecided candidates.
 * @returns the decisions, one per candidate.
 */
export async function promptRenames(bind: string, candidates: readonly RenameCandidate[]): Promise<RenameDecisions> {
  // Imported here: the CLI is one bundle, and only this prompt needs readline.
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const accept: RenameCandidate[] = [];
  const reject: RenameCandidate[] = [];
  try {
    for (const c of candidates) {
      const what = c.kind === 'table' ? `table '${c.table}' renamed to '${c.newName}'` : `column '${c.table}.${c.column}' renamed to '${c.table}.${c.newName}'`;
      const answer = (await rl.question(`[${bind}] Is ${what}? (no: drop the old one and add the new one) [y/N] `)).trim().toLowerCase();
      (answer === 'y' || answer === 'yes' ? accept : reject).push(c);
    }
  } finally {
    rl.close();
  }
  return { accept, reject };
}
