// `migrate history | head -1`: once the reader has gone, the rest of the output is dropped and the
// command ends quietly (exit 0, nothing on stderr), instead of dying on EPIPE with a stack trace.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { MIGRATE_BIN, TempProject } from '../support/project.js';

/** Revisions with long messages: far more output than any pipe holds (64 KiB; at most 1 MiB). */
const REVISIONS = 600;
const MESSAGE = 'a long message '.repeat(140); // ~2 KB a line

/**
 * Runs `migrate ARGS` with its stdout piped into a reader that reads one chunk and exits (like
 * `head -1`), and returns migrate's exit code and stderr, and what the reader got.
 */
function runIntoHead(p: TempProject, args: readonly string[]): Promise<{ code: number | null; signal: string | null; stderr: string; read: string }> {
  const reader = spawn(process.execPath, ['-e', `process.stdin.once('data', (d) => { process.stdout.write(String(d).split('\\n')[0]); process.exit(0); });`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let read = '';
  reader.stdout!.setEncoding('utf8').on('data', (s: string) => (read += s));
  const readerDone = new Promise<void>((resolve) => reader.on('close', () => resolve()));
  const migrate = spawn(process.execPath, [MIGRATE_BIN, ...args], {
    cwd: p.dir,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', reader.stdin!, 'pipe'],
  });
  // Only the two children hold the pipe now: when the reader exits, nobody reads it.
  reader.stdin!.destroy();
  let stderr = '';
  migrate.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => {
    migrate.on('close', (code, signal) => {
      void readerDone.then(() => resolve({ code, signal, stderr, read }));
    });
  });
}

/**
 * Runs `migrate ARGS` with its stdout piped into a reader that starts reading only after `delay` ms
 * (300: far more output than the pipe holds is written by then), and returns all it read.
 */
function runIntoSlowReader(p: TempProject, args: readonly string[], delay = 300, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string; read: string }> {
  const reader = spawn(process.execPath, ['-e', `setTimeout(() => process.stdin.pipe(process.stdout), ${delay});`], { stdio: ['pipe', 'pipe', 'inherit'] });
  let read = '';
  reader.stdout!.setEncoding('utf8').on('data', (s: string) => (read += s));
  const readerDone = new Promise<void>((resolve) => reader.on('close', () => resolve()));
  const migrate = spawn(process.execPath, [MIGRATE_BIN, ...args], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0', ...env }, stdio: ['ignore', reader.stdin!, 'pipe'] });
  reader.stdin!.destroy();
  let stderr = '';
  migrate.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => migrate.on('close', (code) => void readerDone.then(() => resolve({ code, stderr, read }))));
}

describe('a closed stdout (migrate … | head -1)', () => {
  let p: TempProject;

  beforeAll(() => {
    p = new TempProject(['default']);
    let down: string | null = null;
    for (let i = 1; i <= REVISIONS; i++) {
      const revision = `r${String(i).padStart(5, '0')}`;
      addRevision(p, 'default', { revision, downRevision: down, message: `${i} ${MESSAGE}`, file: `${revision}_x.ts` });
      down = revision;
    }
  });
  afterAll(() => p.remove());

  it.each([[['history']], [['history', '--verbose']], [['history', '--indicate-current']]])('migrate %j ends quietly with exit 0', async (args) => {
    const out = await runIntoHead(p, args);
    expect(out.stderr).toBe('');
    expect(out.signal).toBeNull();
    expect(out.code).toBe(0);
    // --verbose prints each revision as show does.
    expect(out.read).toMatch(args.includes('--verbose') ? /^Rev: r00600 \(head\)/ : /^\[default\] r00599 -> r00600 \(default\) \(head\)/);
  });

  it('the output really is larger than a pipe holds (so the reader leaves before the end)', async () => {
    const full = await p.ok('history');
    expect(full.stdout.length).toBeGreaterThan(1024 * 1024);
  });

  // The CLI writes its lines straight to the descriptor (fs.writeSync) and goes through Node's
  // stream from the first write the descriptor does not take whole. A config that logs makes Node
  // create process.stdout, which sets the pipe non-blocking: the history's writes then meet a full
  // pipe (EAGAIN, or a part written) and must carry on through the stream, losing and repeating nothing.
  it('a full non-blocking pipe gets the whole output, in order', async () => {
    // Without the logging config, stdout stays blocking: each write is taken whole.
    const history = (await p.ok('history')).stdout;
    expect(history.split('\n')).toHaveLength(REVISIONS + 1);
    const config = p.read('migrate.config.ts');
    p.write('migrate.config.ts', `console.log('config loaded');\n${config}`);
    try {
      const out = await runIntoSlowReader(p, ['history']);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.read.length).toBe('config loaded\n'.length + history.length);
      expect(out.read === `config loaded\n${history}`).toBe(true);
    } finally {
      p.write('migrate.config.ts', config);
    }
  });

  // What a config or revision writes with console.log goes through Node's stream, which on a full
  // non-blocking pipe keeps the rest queued while the reader drains it: a CLI line written straight
  // to the descriptor then must not overtake that queue (it landed in the middle of it).
  it("a config's console.log output comes whole before the CLI's lines, with a reader that keeps reading", async () => {
    const history = (await p.ok('history')).stdout;
    const config = p.read('migrate.config.ts');
    const logged = `${'x'.repeat(8 * 1024 * 1024)}\n`;
    p.write('migrate.config.ts', `console.log('x'.repeat(8 * 1024 * 1024));\n${config}`);
    try {
      for (let run = 0; run < 3; run++) {
        const out = await runIntoSlowReader(p, ['history'], 0);
        expect(out.stderr).toBe('');
        expect(out.code).toBe(0);
        expect(out.read.length).toBe(logged.length + history.length);
        expect(out.read.indexOf('\n'), 'a CLI line inside the logged text').toBe(logged.length - 1);
        expect(out.read === `${logged}${history}`).toBe(true);
      }
    } finally {
      p.write('migrate.config.ts', config);
    }
  });

  // A preload (`node -r`, NODE_OPTIONS='--require …': dotenv/config, an APM agent) that logs makes
  // Node's stream before the CLI's output module loads, and the global console keeps that stream:
  // the config's console.log then never reads process.stdout again, and the CLI must still see the
  // text that stream holds (its line landed in the middle of it, 2 runs out of 4).
  it("the same when a preload logged first (process.stdout made before the CLI's output module)", async () => {
    const history = (await p.ok('history')).stdout;
    const config = p.read('migrate.config.ts');
    const preload = p.write('preload.cjs', "console.log('preloaded');\n");
    const logged = `preloaded\n${'x'.repeat(8 * 1024 * 1024)}\n`;
    p.write('migrate.config.ts', `console.log('x'.repeat(8 * 1024 * 1024));\n${config}`);
    try {
      for (let run = 0; run < 4; run++) {
        const out = await runIntoSlowReader(p, ['history'], 0, { NODE_OPTIONS: `--require ${JSON.stringify(preload)}` });
        expect(out.stderr).toBe('');
        expect(out.code).toBe(0);
        expect(out.read.length).toBe(logged.length + history.length);
        expect(out.read.indexOf('\n', 'preloaded\n'.length), 'a CLI line inside the logged text').toBe(logged.length - 1);
        expect(out.read === `${logged}${history}`).toBe(true);
      }
    } finally {
      p.write('migrate.config.ts', config);
    }
  });
});
