import { maskUrl } from '@multidb/core';

/** Where the CLI writes: results to stdout, progress to stderr (DESIGN §8). Every line is masked. */
export interface Output {
  /** A result line (stdout). */
  out(line: string): void;
  /** A progress or diagnostic line (stderr). */
  err(line: string): void;
  /** Text for stdout as it is, unmasked (an offline SQL script is data); absent: `out`, per line. */
  raw?(text: string): void;
}

/** The process's own streams. */
export const processOutput: Output = {
  out: (line) => process.stdout.write(`${maskUrl(line)}\n`),
  err: (line) => process.stderr.write(`${maskUrl(line)}\n`),
  raw: (text) => process.stdout.write(text),
};

/** Shows a list of revision ids the Alembic way: `<base>` when empty. */
export function formatRevs(revs: readonly string[]): string {
  return revs.length ? revs.join(', ') : '<base>';
}
