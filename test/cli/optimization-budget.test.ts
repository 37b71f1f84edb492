// The `migrate` bin raises V8's optimization budget (raiseOptimizationBudget), so a short command
// does not spend its CPU compiling with TurboFan code it runs a few hundred times; a user's own
// tiering flags are kept.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN } from '../support/project.js';

// Preloaded before the bin: at exit, after the command ran (and set its flags), counts the calls
// a small hot function needs before TurboFan has optimized it (tiering made synchronous;
// %GetOptimizationStatus bit 16: optimized).
const PROBE = `
process.on('exit', () => {
  function work(a) { let s = 0; for (let i = 0; i < 20; i++) s += (a * i) % 7; return s; }
  let n = 0;
  for (; n < 100000; n++) { work(n); if (%GetOptimizationStatus(work) & 16) break; }
  process.stderr.write('OPTIMIZED_AFTER ' + n + '\\n');
});
`;

function callsBeforeOptimized(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--allow-natives-syntax', '--no-concurrent-recompilation', ...args, '-r', join(dir, 'probe.cjs'), MIGRATE_BIN, '--version'],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        const match = /OPTIMIZED_AFTER (\d+)/.exec(String(stderr));
        if (error || !match) reject(new Error(`migrate --version: ${error?.message ?? ''}\n${String(stderr)}`));
        else resolve(Number(match[1]));
      },
    );
  });
}

/** The same probe without the bin: V8's own budget. */
function callsWithoutBin(): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--allow-natives-syntax', '--no-concurrent-recompilation', '-r', join(dir, 'probe.cjs'), '-e', '0'],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        const match = /OPTIMIZED_AFTER (\d+)/.exec(String(stderr));
        if (error || !match) reject(new Error(`node -e 0: ${error?.message ?? ''}\n${String(stderr)}`));
        else resolve(Number(match[1]));
      },
    );
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multidb-tiering-'));
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the migrate bin raises the optimization budget', () => {
  it('a hot function is optimized after about ten times as many calls as in plain node, and still optimized', async () => {
    const usual = await callsWithoutBin();
    const withBin = await callsBeforeOptimized([]);
    expect(usual).toBeGreaterThan(0);
    expect(withBin).toBeGreaterThan(5 * usual);
    expect(withBin).toBeLessThan(100000);
  });

  it("keeps the user's own --interrupt-budget given on the command line (NODE_OPTIONS does not take it)", async () => {
    const usual = await callsWithoutBin();
    expect(await callsBeforeOptimized(['--interrupt-budget=67584'])).toBeLessThan(2 * usual + 10);
  });
});
