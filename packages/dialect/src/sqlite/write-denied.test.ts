import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { modeAllowsWrite } from './write-denied.js';

describe('modeAllowsWrite', () => {
  const user = { uid: 1000, gids: [1000, 27] };
  const owned = (mode: number) => ({ uid: 1000, gid: 1000, mode: 0o40000 | mode });

  it('a file needs the w bit of the class that applies', () => {
    expect(modeAllowsWrite(owned(0o600), user, 'file')).toBe(true);
    expect(modeAllowsWrite(owned(0o477), user, 'file')).toBe(false); // the owner's bits apply, not the others'
    expect(modeAllowsWrite({ uid: 0, gid: 27, mode: 0o460 }, user, 'file')).toBe(true); // a supplementary group
    expect(modeAllowsWrite({ uid: 0, gid: 0, mode: 0o642 }, user, 'file')).toBe(true);
    expect(modeAllowsWrite({ uid: 0, gid: 0, mode: 0o664 }, user, 'file')).toBe(false);
  });

  it('a folder (a file created in it) needs the w and x bits of the class that applies', () => {
    expect(modeAllowsWrite(owned(0o700), user, 'folder')).toBe(true);
    expect(modeAllowsWrite(owned(0o600), user, 'folder')).toBe(false); // w without x
    expect(modeAllowsWrite(owned(0o500), user, 'folder')).toBe(false);
    expect(modeAllowsWrite(owned(0o677), user, 'folder')).toBe(false); // the owner's bits apply, not the others'
    expect(modeAllowsWrite({ uid: 0, gid: 27, mode: 0o730 }, user, 'folder')).toBe(true);
    expect(modeAllowsWrite({ uid: 0, gid: 27, mode: 0o720 }, user, 'folder')).toBe(false);
    expect(modeAllowsWrite({ uid: 0, gid: 0, mode: 0o773 }, user, 'folder')).toBe(true);
    expect(modeAllowsWrite({ uid: 0, gid: 0, mode: 0o772 }, user, 'folder')).toBe(false);
  });

  it('root may write anything', () => {
    expect(modeAllowsWrite(owned(0o000), { uid: 0, gids: [0] }, 'folder')).toBe(true);
  });
});

// For real: a process as `nobody` asks about a folder of nobody's with mode 0o600 (write without
// search: no file can be created in it), once as a real nobody (access() answers) and once as root
// with nobody as its effective user (the mode bits of stat() answer).
const nobody = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'nobody'])), gid: Number(execFileSync('id', ['-g', 'nobody'])) } : undefined;

describe.runIf(nobody !== undefined)('writeDenied as nobody (the tests run as root)', () => {
  const root = mkdtempSync(join(tmpdir(), 'multidb-write-denied-'));
  chmodSync(root, 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const module = fileURLToPath(new URL('./write-denied.ts', import.meta.url));
  const jiti = createRequire(import.meta.url).resolve('jiti');

  /** A folder of nobody's with a file in it (nobody's, 0o644), then `mode` on the folder. */
  function folder(name: string, mode: number): string {
    const path = join(root, name);
    mkdirSync(path);
    writeFileSync(join(path, 'default.db'), '');
    chownSync(join(path, 'default.db'), nobody!.uid, nobody!.gid);
    chownSync(path, nobody!.uid, nobody!.gid);
    chmodSync(path, mode);
    return path;
  }

  /** `writeDenied(path, kind)` of each query, in one child process that runs as nobody: `'real'` (setuid) or `'effective'` (seteuid, real root). */
  function deniedAs(as: 'real' | 'effective', queries: readonly (readonly [string, 'file' | 'folder'])[]): (string | null)[] {
    const drop =
      as === 'real'
        ? `process.setgid(${nobody!.gid}); process.setgroups([${nobody!.gid}]); process.setuid(${nobody!.uid});`
        : `process.setegid(${nobody!.gid}); process.setgroups([${nobody!.gid}]); process.seteuid(${nobody!.uid});`;
    const script = [
      `const { createJiti } = require(${JSON.stringify(jiti)});`,
      `createJiti(${JSON.stringify(module)}, { fsCache: false }).import(${JSON.stringify(module)}).then(async ({ writeDenied }) => {`,
      `  ${drop}`,
      `  const answers = [];`,
      `  for (const [path, kind] of ${JSON.stringify(queries)}) answers.push((await writeDenied(path, kind)) ?? null);`,
      `  process.stdout.write(JSON.stringify(answers));`,
      `});`,
    ].join('\n');
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as (string | null)[];
  }

  it('a folder with write but not search permission (0o600): no file can be created in it', () => {
    const path = folder('w-only', 0o600);
    // As a folder: denied. Its w bit alone (as a file), as the check read it before: allowed.
    for (const as of ['real', 'effective'] as const) {
      expect(deniedAs(as, [[path, 'folder'], [path, 'file']]), as).toEqual(['EACCES', null]);
    }
  });

  it('a folder with write and search permission (0o700) may have a file created in it; one without write (0o500) not', () => {
    const writable = folder('wx', 0o700);
    const readOnly = folder('rx', 0o500);
    for (const as of ['real', 'effective'] as const) {
      expect(deniedAs(as, [[writable, 'folder'], [readOnly, 'folder']]), as).toEqual([null, 'EACCES']);
    }
  });
});
