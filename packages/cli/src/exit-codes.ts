/** Exit codes of `migrate`. */
export const ExitCode = Object.freeze({
  ok: 0,
  /** Any error: bad input, a failing revision, a database error. */
  error: 1,
  /** Bad command-line usage (unknown option, missing argument). */
  usage: 2,
  /** `--lock-timeout` elapsed before the migration lock was free. */
  lockTimeout: 3,
  /** `check`: models and database differ; `codegen --verify`: a types file is stale or missing. */
  differences: 4,
});
