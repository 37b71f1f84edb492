// The `migrate` bin keeps V8's young generation at its starting size (limitYoungGeneration), so a
// short command's peak memory is not mostly semi-spaces V8 grew; a user's own sizing is kept.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN } from '../support/project.js';

// Preloaded before the bin: at exit, after the command ran, allocates what would make V8 grow its
// semi-spaces (objects that survive young collections), then prints the young generation's size.
const PROBE = `
const v8 = require('node:v8');
process.on('exit', () => {
  const kept = [];
  for (let i = 0; i < 400000; i++) kept.push({ i, s: 'x' + i });
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  process.stderr.write('NEW_SPACE ' + young.space_size + ' ' + kept.length + '\\n');
});
`;

function newSpaceAfter(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args, MIGRATE_BIN, '--version'], { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 }, (error, _stdout, stderr) => {
      const match = /NEW_SPACE (\d+) 400000/.exec(String(stderr));
      if (error || !match) reject(new Error(`migrate --version: ${error?.message ?? ''}\n${String(stderr)}`));
      else resolve(Number(match[1]));
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multidb-young-'));
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;

describe('the migrate bin sizes the young generation', () => {
  it('keeps the two starting 1 MiB semi-spaces however much survives', async () => {
    expect(await newSpaceAfter(['-r', join(dir, 'probe.cjs')], { NODE_OPTIONS: '' })).toBeLessThanOrEqual(2 * MiB);
  });

  it("keeps the user's own --max-semi-space-size (V8 then grows the semi-spaces)", async () => {
    const size = await newSpaceAfter(['-r', join(dir, 'probe.cjs')], { NODE_OPTIONS: '--max-semi-space-size=16' });
    expect(size).toBeGreaterThan(2 * MiB);
  });

  it('keeps a sizing flag given on the command line', async () => {
    expect(await newSpaceAfter(['--max-semi-space-size=8', '-r', join(dir, 'probe.cjs')], { NODE_OPTIONS: '' })).toBeGreaterThan(2 * MiB);
  });
});
