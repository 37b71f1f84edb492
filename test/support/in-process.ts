import { main, type Output } from '@multidb/cli';
import type { RunOutput } from './project.js';

/**
 * Runs `migrate ARGS` in this process (`main` from `@multidb/cli`) in `cwd`, capturing what it
 * prints: much cheaper than a subprocess on a busy machine. `stdout` is what a pipe would get
 * (lines joined with newlines, raw SQL as written).
 */
export async function runInProcess(cwd: string, args: readonly string[]): Promise<RunOutput> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: Output = {
    out: (line) => stdout.push(`${line}\n`),
    err: (line) => stderr.push(`${line}\n`),
    raw: (text) => stdout.push(text),
  };
  const code = await main(args, { cwd, output });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** {@link runInProcess}, failing the test with the output unless `migrate ARGS` exits 0 (as `TempProject.ok`). */
export async function okInProcess(cwd: string, args: readonly string[]): Promise<RunOutput> {
  const out = await runInProcess(cwd, args);
  if (out.code !== 0) throw new Error(`migrate ${args.join(' ')} exited ${out.code}\n${out.stdout}\n${out.stderr}`);
  return out;
}
