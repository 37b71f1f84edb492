import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPostWriteHook, splitCommandLine } from './post-write-hook.js';
import { PostWriteHookError } from './render-errors.js';

describe('splitCommandLine', () => {
  it.each([
    ['npx prettier --write {file}', ['npx', 'prettier', '--write', '{file}']],
    ['  a   b\tc  ', ['a', 'b', 'c']],
    [`eslint --rule 'quotes: [2, single]' "{file}"`, ['eslint', '--rule', 'quotes: [2, single]', '{file}']],
    [`echo "a \\"b\\" \\\\ \\$x \\n" 'it'\\''s'`, ['echo', 'a "b" \\ $x \\n', "it's"]],
    [`a\\ b "" ''`, ['a b', '', '']],
    [`pre"mid"'end'`, ['premidend']],
    ['$HOME *.ts | grep x > y', ['$HOME', '*.ts', '|', 'grep', 'x', '>', 'y']],
    ['', []],
  ])('%s', (line, expected) => {
    expect(splitCommandLine(line)).toEqual(expected);
  });

  it.each([
    [`a 'b`, 'a single quote is not closed'],
    [`a "b`, 'a double quote is not closed'],
    ['a \\', 'it ends with a backslash'],
  ])('refuses %s', (line, why) => {
    expect(() => splitCommandLine(line)).toThrow(PostWriteHookError);
    expect(() => splitCommandLine(line)).toThrow(`The post-write hook '${line}' is not a valid command line: ${why}.`);
  });
});

describe('runPostWriteHook', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'multidb hook '));
    file = join(dir, "rev 'x'.ts");
    await writeFile(file, 'original\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A command line that runs a Node script with the given arguments. */
  const node = (script: string, ...args: string[]) => [process.execPath, '-e', script, '--', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const APPEND = `require('fs').appendFileSync(process.argv[process.argv.length - 1], 'formatted ' + process.argv.slice(1).join('|') + '\\n')`;

  it('runs a command without a shell, {file} replaced by the path (spaces and quotes kept)', async () => {
    await runPostWriteHook(`${node(APPEND, '--flag=$HOME')} {file}`, file);
    expect(await readFile(file, 'utf8')).toBe(`original\nformatted --flag=$HOME|${file}\n`);
  });

  it('replaces {file} inside an argument, and appends the path when no argument holds {file}', async () => {
    await runPostWriteHook(`${node(APPEND, '--out={file}.bak')} {file}`, file);
    await runPostWriteHook(node(APPEND), file);
    expect(await readFile(file, 'utf8')).toBe(`original\nformatted --out=${file}.bak|${file}\nformatted ${file}\n`);
  });

  it('runs in the folder it is given', async () => {
    await runPostWriteHook(`${node(`require('fs').writeFileSync('cwd.txt', process.cwd())`)}`, file, { cwd: dir });
    expect(await readFile(join(dir, 'cwd.txt'), 'utf8')).toBe(dir);
  });

  it('a non-zero exit is a PostWriteHookError naming the command, with its stderr and exit code', async () => {
    const command = node(`console.error('syntax error in file'); process.exit(3)`);
    const error = await runPostWriteHook(command, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostWriteHookError);
    expect(error).toMatchObject({ command, file, exitCode: 3, stderr: 'syntax error in file', code: 'POST_WRITE_HOOK' });
    expect((error as Error).message).toBe(`The post-write hook '${command}' exited with code 3 on ${file}:\nsyntax error in file`);
  });

  it('a command that does not exist is a PostWriteHookError saying so', async () => {
    const error = await runPostWriteHook('multidb-no-such-formatter --write {file}', file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostWriteHookError);
    expect((error as Error).message).toBe("The post-write hook 'multidb-no-such-formatter --write {file}' could not start: 'multidb-no-such-formatter' was not found.");
    expect((error as PostWriteHookError).exitCode).toBeUndefined();
  });

  it('an empty command line is refused', async () => {
    await expect(runPostWriteHook('   ', file)).rejects.toThrow(/empty command line/);
  });

  it('a function is awaited with the path; its error propagates unchanged; undefined does nothing', async () => {
    const seen: string[] = [];
    await runPostWriteHook(async (f) => {
      await new Promise((r) => setImmediate(r));
      seen.push(f);
    }, file);
    expect(seen).toEqual([file]);
    const own = new Error('formatter broke');
    await expect(runPostWriteHook(() => Promise.reject(own), file)).rejects.toBe(own);
    await runPostWriteHook(undefined, file);
    expect(await readFile(file, 'utf8')).toBe('original\n');
  });
});
