// An app imports a package of multidb and nothing else happens: importing any entry point of the
// built packages (each in a fresh Node process, as an app's first import) prints nothing, leaves
// no listener on `process`, changes none of its properties (`process.stdout` and `process.stderr`
// keep Node's own getters) nor `process.env`, writes no file, and opens nothing (the process exits
// by itself). Checked on every export of every package's manifest.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PACKAGES = ['core', 'dialect', 'autogenerate', 'tui', 'cli'];

/** Every entry point, as an app imports it (`@multidb/dialect/kysely/helpers/postgres`). */
const ENTRIES = PACKAGES.flatMap((p) => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  return Object.keys(manifest.exports).map((key) => `@multidb/${p}${key === '.' ? '' : key.slice(1)}`);
});

/** What the probe prints on stderr, as JSON, after importing the entry (its first argument). */
const PROBE = `
const EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection', 'warning', 'worker'];
const PROPERTIES = ['stdout', 'stderr', 'stdin', 'exit', 'exitCode', 'emitWarning', 'env'];
const listeners = () => Object.fromEntries(EVENTS.map((e) => [e, process.listenerCount(e)]));
const descriptor = (name) => { const d = Object.getOwnPropertyDescriptor(process, name); return d && [d.get, d.set, d.value]; };
const before = { listeners: listeners(), properties: PROPERTIES.map(descriptor), env: JSON.stringify(process.env) };
await import(process.argv[2]);
const changedProperties = PROPERTIES.filter((name, i) => { const [a, b] = [before.properties[i], descriptor(name)]; return !a !== !b || (a && a.some((x, j) => x !== b[j])); });
await new Promise((resolve) => setTimeout(resolve, 100));
const after = listeners();
const report = JSON.stringify({
  listeners: EVENTS.filter((e) => after[e] !== before.listeners[e]),
  properties: changedProperties,
  envChanged: JSON.stringify(process.env) !== before.env,
  resources: process.getActiveResourcesInfo(),
});
// The stream is made only now (reading process.stderr before would add its handle to the resources).
process.stderr.write(report);
`;

describe('importing a package has no side effects', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'multidb-imports-'));
    writeFileSync(join(dir, 'probe.mjs'), PROBE);
    // The app's node_modules: the workspace's, where @multidb/* are the built packages.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the entries (every export of the five manifests)', () => {
    expect(ENTRIES).toContain('@multidb/cli');
    expect(ENTRIES).toContain('@multidb/tui/screens');
    expect(ENTRIES.length).toBeGreaterThan(15);
  });

  it.each(ENTRIES)('%s', async (entry) => {
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, ['probe.mjs', entry], { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    // Ink (under the screens) imports `node:process` as an ES module, whose facade Node fills by
    // reading every property: that makes the three stdio streams (pipes here), which keep nothing alive.
    const stdio = entry === '@multidb/tui/screens' ? ['PipeWrap', 'PipeWrap', 'PipeWrap'] : [];
    expect(JSON.parse(out.stderr)).toEqual({ listeners: [], properties: [], envChanged: false, resources: stdio });
    expect(readdirSync(dir).sort()).toEqual(['node_modules', 'probe.mjs']);
  });
});
