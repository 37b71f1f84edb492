import { setFlagsFromString } from 'node:v8';

/** A V8 flag that sizes the young generation; when the user set one, theirs is kept. */
const SIZING_FLAG = /--(?:max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor|--max[-_]heap[-_]size/;

/**
 * Keeps V8's young generation at its starting size (two 1 MiB semi-spaces on 64-bit Node 20)
 * for the rest of the process, by setting `--semi-space-growth-factor=1`.
 *
 * Why: V8 doubles the semi-spaces after each young collection whose survivors fill them, up to
 * 16 MiB each, and keeps what it grew until the process ends. A `migrate` command is a short
 * process whose peak RSS is mostly that growth: on 500 SQLite revisions it went from about
 * 90 to 74 MiB, on 200 tenants from about 106 to 80 MiB (tools/bench/RESULTS.md, 2026-12-05).
 * The price is more young collections, each small.
 *
 * `--max-semi-space-size` cannot do this at run time: V8 reads it once, when the heap is set up,
 * and ignores a later change. The growth factor is read each time the young generation would
 * grow, so setting it before the first collection keeps the size. Call this first thing in an
 * executable (the `migrate` bin does, before importing the CLI), never from a library: the flag
 * holds for the whole process, worker threads included.
 *
 * @param execArgv - the process's Node options (default: `process.execArgv` and `NODE_OPTIONS`);
 *   when one of them sizes the young generation or the heap, nothing is changed.
 * @returns `true` when the flag was set, `false` when the user's own sizing was kept.
 * @example
 * ```ts
 * import { limitYoungGeneration } from '@multidb/cli/young-generation';
 * limitYoungGeneration();
 * const { main } = await import('@multidb/cli');
 * ```
 */
export function limitYoungGeneration(execArgv: string = `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`): boolean {
  if (SIZING_FLAG.test(execArgv)) return false;
  setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}
