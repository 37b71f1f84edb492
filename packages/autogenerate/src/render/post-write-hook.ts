import { spawn } from 'node:child_process';
import type { AutogenerateOptions } from '@multidb/core';
import { PostWriteHookError } from './render-errors.js';

/**
 * Splits a command line into arguments as a POSIX shell would for simple quoting, without
 * running a shell: blanks separate arguments; `'…'` keeps its text as is; `"…"` keeps its text
 * but for `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes keeps the next character.
 * No variables, globs, pipes or redirections: they are ordinary characters here.
 *
 * @param commandLine - e.g. `npx prettier --write '{file}'`.
 * @returns the arguments, e.g. `['npx', 'prettier', '--write', '{file}']`.
 * @throws {@link PostWriteHookError} on an unterminated quote or a trailing backslash.
 * @example
 * ```ts
 * splitCommandLine(`eslint --fix "{file}" --rule 'quotes: [2, single]'`);
 * // ['eslint', '--fix', '{file}', '--rule', 'quotes: [2, single]']
 * ```
 */
export function splitCommandLine(commandLine: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  const fail = (why: string): never => {
    throw new PostWriteHookError(`The post-write hook '${commandLine}' is not a valid command line: ${why}.`, { command: commandLine, file: '' });
  };
  for (let i = 0; i < commandLine.length; i++) {
    const ch = commandLine[i]!;
    if (ch === "'") {
      const end = commandLine.indexOf("'", i + 1);
      if (end < 0) fail('a single quote is not closed');
      current += commandLine.slice(i + 1, end);
      inArg = true;
      i = end;
    } else if (ch === '"') {
      inArg = true;
      let j = i + 1;
      for (; j < commandLine.length && commandLine[j] !== '"'; j++) {
        const c = commandLine[j]!;
        if (c === '\\' && j + 1 < commandLine.length && '"\\$`'.includes(commandLine[j + 1]!)) {
          current += commandLine[j + 1];
          j++;
        } else current += c;
      }
      if (j >= commandLine.length) fail('a double quote is not closed');
      i = j;
    } else if (ch === '\\') {
      if (i + 1 >= commandLine.length) fail('it ends with a backslash');
      current += commandLine[i + 1];
      inArg = true;
      i++;
    } else if (/\s/.test(ch)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += ch;
      inArg = true;
    }
  }
  if (inArg) args.push(current);
  return args;
}

/**
 * Runs a post-write hook on a freshly written revision file (Alembic's `post_write_hooks`), e.g.
 * to format it with the project's formatter.
 *
 * - A function is called with the file's path and awaited.
 * - A command line is split into arguments ({@link splitCommandLine}) and run without a shell;
 *   each `{file}` in an argument is replaced by the file's path, and when no argument holds
 *   `{file}` the path is appended as the last argument. Its stdout is ignored.
 * - `undefined` does nothing.
 *
 * @param hook - `AutogenerateOptions.postWrite` of the bind.
 * @param file - absolute path of the revision file written.
 * @param options.cwd - folder to run a command in (default: the process's cwd; autogenerate passes
 *   the config file's folder, so that `npx` finds the project's tools).
 * @throws {@link PostWriteHookError} naming the command when it cannot start (not found) or exits
 *   non-zero (with its stderr and exit code), or when the command line does not parse; a hook
 *   function's own error propagates unchanged.
 * @example
 * ```ts
 * const path = '/project/migrations/versions/db2/3f2a9c1d7b40_add_currency.ts';
 * await runPostWriteHook('npx prettier --write {file}', path, { cwd: '/project' });
 * await runPostWriteHook(async (file) => console.log('wrote', file), path);
 * ```
 */
export async function runPostWriteHook(hook: AutogenerateOptions['postWrite'], file: string, options: { cwd?: string } = {}): Promise<void> {
  if (hook === undefined) return;
  if (typeof hook === 'function') {
    await hook(file);
    return;
  }
  const parts = splitCommandLine(hook);
  if (parts.length === 0) throw new PostWriteHookError(`The post-write hook is an empty command line; give a command with {file}, e.g. 'npx prettier --write {file}'.`, { command: hook, file });
  const args = parts.some((p) => p.includes('{file}')) ? parts.map((p) => p.split('{file}').join(file)) : [...parts, file];
  const [command, ...rest] = args as [string, ...string[]];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, rest, { cwd: options.cwd, shell: false, stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? `'${command}' was not found` : error.message;
      reject(new PostWriteHookError(`The post-write hook '${hook}' could not start: ${why}.`, { command: hook, file }, { cause: error }));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const text = Buffer.concat(stderr).toString('utf8').trim();
      const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(
        new PostWriteHookError(`The post-write hook '${hook}' ${how} on ${file}${text ? `:\n${text}` : ' (no stderr)'}`, {
          command: hook,
          file,
          ...(code === null ? {} : { exitCode: code }),
          stderr: text,
        }),
      );
    });
  });
}
