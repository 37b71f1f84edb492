import { setFlagsFromString } from 'node:v8';

/** Whether node was started with `flag` (exactly, as an option of its own): the flag is then left as it is. */
const startedWith = (...spellings: string[]): boolean => process.execArgv.some((option) => spellings.includes(option));

/** The V8 flags set while {@link compileEagerly} runs, and what restores V8's defaults, minus those node was started with. */
const FLAGS = [
  ...(startedWith('--no-lazy', '--no_lazy', '--nolazy') ? [] : [['--no-lazy', '--lazy']]),
  ...(startedWith('--verify-snapshot-checksum', '--verify_snapshot_checksum') ? [] : [['--verify-snapshot-checksum', '--no-verify-snapshot-checksum']]),
];
const SET = FLAGS.map(([on]) => on).join(' ');
const RESET = FLAGS.map(([, off]) => off).join(' ');

/**
 * Runs `compile` (a `new vm.Script(…)`, or a script's `createCachedData()`) with V8's lazy
 * compilation off, so every function of the script gets its bytecode now rather than at its first
 * call, and with V8 checking code caches' checksums (`--verify-snapshot-checksum`: a code cache is
 * then made with its checksum, and one read from disk whose bytes changed is rejected, not run),
 * then sets both back.
 *
 * Why eager: V8 compiles a function the first time it is called. A revision's `upgrade` is first
 * called inside the run's loop, right after the previous revision's COMMIT waited on the disk,
 * and compiling it there cost 35–55 µs per revision on SQLite (against ~7 µs compiled with its
 * module: the compiler's code and data are out of the CPU's caches by then); a code cache of the
 * eagerly compiled module gives that bytecode in ~15 µs, without parsing. Eager bytecode costs
 * memory for functions that never run (a revision's `downgrade` during an upgrade: ~1.5 MiB over
 * 5,000 revisions), so only a run about to call them asks for it. The flags are process-wide but
 * set only for the synchronous call: a worker thread compiling at that instant compiles eagerly
 * too, which changes its speed, never its behaviour. Flags node was started with are left alone.
 *
 * @param compile - the synchronous compile to run.
 * @returns what `compile` returns.
 * @throws what `compile` throws (the flags are set back either way).
 * @example
 * ```ts
 * import { Script } from 'node:vm';
 * const script = compileEagerly(() => new Script('(function () { function upgrade() {} return upgrade; })', { filename: 'rev.ts' }));
 * const cache = compileEagerly(() => script.createCachedData());
 * ```
 */
export function compileEagerly<T>(compile: () => T): T {
  if (SET === '') return compile();
  setFlagsFromString(SET);
  try {
    return compile();
  } finally {
    setFlagsFromString(RESET);
  }
}
