// What connections a read of one MigrationEnvironment leaves open. With 16 binds or fewer, a read's
// connections stay open for the commands after it (`current` then `upgrade` connect each bind
// once). With more (tenants), a read closes the connections it opened once it ends, and a read of
// more than 16 binds connects them 16 at a time, each closed once read: `current`, `status` and
// the TUI's binds screen used to leave every tenant open (2,000 SQLite tenants: 2,000 files, and
// past `ulimit -n` most of them unreachable). Two reads of one bind at once share its connection,
// and the last to end closes it; a connection asked for outside a read stays open. In-process,
// counting the tenant files the process has open (/proc/self/fd) as each bind connects.
import { readdirSync, readlinkSync } from 'node:fs';
import { commands, createModuleLoader, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { EnvironmentBackend } from '@multidb/tui';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const [R1, R2] = ['a1a1a1a1a1a1', 'b2b2b2b2b2b2'];
/** How many binds a read of more than 16 binds has connected at once (core's `READ_AT_ONCE`). */
const AT_ONCE = 16;

/** What the configs' `onConnect` hooks record, shared with this test through globalThis. */
interface Seen {
  /** Each bind connected, in order. */
  connects: string[];
  /** How many of the project's database files were open as each bind connected, its own included. */
  open: number[];
  /** When set, each bind's `onConnect` waits for it (after recording): reads held part way. */
  gate?: Promise<void>;
}
const seen = globalThis as { multidbReadConnections?: Seen };
const record = (): Seen => (seen.multidbReadConnections = { connects: [], open: [] });

/** The database files of the project in `dir` this process has open now. */
function openFiles(dir: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${dir}/.data/`) && readlinkSync(`/proc/self/fd/${fd}`).endsWith('.db');
    } catch {
      return false;
    }
  }).length;
}

/** A project of `binds` SQLite binds sharing branch `tenant`, at head, whose `onConnect` records in {@link seen}. */
async function project(binds: number): Promise<TempProject> {
  const names = Array.from({ length: binds }, (_, i) => `t${String(i).padStart(4, '0')}`);
  const p = new TempProject([], {
    config:
      `import { readdirSync, readlinkSync } from 'node:fs';\n` +
      `import { defineConfig } from '@multidb/core';\n` +
      `const dir = new URL('.', import.meta.url).pathname.replace(/\\/$/, '');\n` +
      `const openFiles = () => readdirSync('/proc/self/fd').filter((fd) => { try { const l = readlinkSync('/proc/self/fd/' + fd); return l.startsWith(dir + '/.data/') && l.endsWith('.db'); } catch { return false; } }).length;\n` +
      `const onConnect = (t) => async () => { const s = globalThis.multidbReadConnections; s?.connects.push(t); s?.open.push(openFiles()); await s?.gate; };\n` +
      `export default defineConfig({ binds: Object.fromEntries(${JSON.stringify(names)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant', onConnect: onConnect(t) }])) });\n`,
  });
  const table = (name: string) => ({ upgrade: `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('${name}');` });
  p.write(`migrations/versions/tenant/${R1}_users.ts`, revisionSource({ revision: R1, downRevision: null, branchLabels: ['tenant'], ...table('users') }));
  p.write(`migrations/versions/tenant/${R2}_orders.ts`, revisionSource({ revision: R2, downRevision: R1, ...table('orders') }));
  await p.ok('stamp', `tenant@${R1}`, '--all-binds');
  return p;
}

const load = (p: TempProject): Promise<MigrationEnvironment> => loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });

describe('an environment of 3 binds', () => {
  let p: TempProject;
  beforeAll(async () => (p = await project(3)));
  afterAll(() => p.remove());

  it('keeps the connections a read opened: current, status, then upgrade connect each bind once', async () => {
    const env = await load(p);
    const s = record();
    try {
      await commands.current(env);
      await commands.status(env);
      expect(openFiles(p.dir)).toBe(3);
      await commands.upgrade(env, 'heads');
      expect(s.connects).toEqual(['t0000', 't0001', 't0002']);
    } finally {
      await env.close();
    }
    expect(openFiles(p.dir)).toBe(0);
  });
});

describe('an environment of 40 binds', () => {
  let p: TempProject;
  let env: MigrationEnvironment;
  beforeAll(async () => (p = await project(40)));
  afterAll(() => p.remove());
  beforeEach(async () => {
    env = await load(p);
    return () => env.close();
  });

  it(`current, status, currentHeads and readHeads of every bind: at most ${AT_ONCE} open at once, none left open`, async () => {
    const reads: [string, () => Promise<unknown>, unknown, number][] = [
      // Each bind's version table, lock holder and revision in flight on one connection, 16 binds at a time.
      ['current', async () => (await commands.current(env)).map((b) => [b.reachable, b.revisions.map((r) => r.revision)]), env.bindNames.map(() => [true, [R1]]), 1],
      // Each bind's version table and progress table on one connection.
      ['status', async () => (await commands.status(env)).map((b) => b.condition.kind), env.bindNames.map(() => 'pending'), 1],
      ['currentHeads', async () => [...(await env.currentHeads()).entries()], env.bindNames.map((b) => [b, [R1]]), 1],
      ['readHeads', async () => [...(await env.readHeads()).keys()], env.bindNames, 1],
    ];
    for (const [name, read, expected, connects] of reads) {
      const s = record();
      expect(await read(), name).toEqual(expected);
      expect(openFiles(p.dir), name).toBe(0);
      expect(Math.max(...s.open), name).toBeLessThanOrEqual(AT_ONCE);
      expect([...s.connects].sort(), name).toEqual(env.bindNames.flatMap((b) => Array<string>(connects).fill(b)).sort());
    }
  });

  it('two reads of one bind at once share its connection: the first to end does not close it under the other; the last closes it', async () => {
    // Both reads begin before the bind is connected; the first connects it, the second reads on
    // that connection and ends, then the first reads on it.
    const s = record();
    let secondBegan!: () => void;
    const began = new Promise<void>((resolve) => (secondBegan = resolve));
    let firstConnected!: () => void;
    const connected = new Promise<void>((resolve) => (firstConnected = resolve));
    let secondEnded!: () => void;
    const ended = new Promise<void>((resolve) => (secondEnded = resolve));
    const first = env.reading('t0003', async () => {
      await began;
      const conn = await env.connection('t0003', { create: false });
      firstConnected();
      await ended;
      return conn.plainDb.selectFrom('multidb_version').select('version_num').execute();
    });
    const second = env.reading('t0003', async () => {
      secondBegan();
      await connected;
      return env.currentHeads(['t0003']);
    });
    expect(await second).toEqual(new Map([['t0003', [R1]]]));
    expect(openFiles(p.dir)).toBe(1); // still the first read's
    secondEnded();
    expect(await first).toEqual([{ version_num: R1 }]);
    expect(openFiles(p.dir)).toBe(0);
    expect(s.connects).toEqual(['t0003']);
  });

  it('a connection asked for outside a read stays open through the reads of every bind', async () => {
    const conn = await env.connection('t0005', { create: false });
    await commands.current(env);
    await commands.status(env);
    expect(openFiles(p.dir)).toBe(1);
    expect(await conn.plainDb.selectFrom('multidb_version').select('version_num').execute()).toEqual([{ version_num: R1 }]);
  });

  it(`the TUI's binds screen loads every bind with at most ${AT_ONCE} open at once, none left open`, async () => {
    const backend = await EnvironmentBackend.open({ cwd: p.dir });
    const s = record();
    try {
      const rows = await Promise.all(backend.listBinds().map((b) => backend.loadBind(b.name)));
      expect(rows.map((r) => [r.name, r.status.kind, r.current])).toEqual(env.bindNames.map((b) => [b, 'pending', [R1]]));
      expect(openFiles(p.dir)).toBe(0);
      expect(s.connects).toHaveLength(40);
      expect(Math.max(...s.open)).toBeLessThanOrEqual(AT_ONCE);
    } finally {
      await backend.close();
    }
  });

  it(`the TUI's binds screen: the loads still waiting their turn when \`r\` reloads the config, or the TUI closes, read nothing`, async () => {
    // The first 16 loads are held connecting (their hook waits for the gate); the other 24 wait
    // their turn. They used to read every bind once the 16 ended: for the binds screen a reload
    // had replaced (its rows were asked again and waited behind them), and after the TUI closed.
    const backend = await EnvironmentBackend.open({ cwd: p.dir });
    try {
      let open!: () => void;
      const s = { ...record(), gate: new Promise<void>((resolve) => (open = resolve)) };
      seen.multidbReadConnections = s;
      const first = backend.listBinds().map((b) => backend.loadBind(b.name));
      await backend.reload();
      const second = backend.listBinds().map((b) => backend.loadBind(b.name));
      open();
      expect((await Promise.all(second)).map((r) => [r.name, r.status.kind])).toEqual(env.bindNames.map((b) => [b, 'pending']));
      const rows = await Promise.all(first);
      expect(rows.slice(0, AT_ONCE).map((r) => [r.name, r.status.kind])).toEqual(env.bindNames.slice(0, AT_ONCE).map((b) => [b, 'pending']));
      const reloaded = { kind: 'error', reason: 'not read: the config was reloaded before its turn (load it again)' };
      expect(rows.slice(AT_ONCE).map((r) => [r.name, r.status])).toEqual(env.bindNames.slice(AT_ONCE).map((b) => [b, reloaded]));
      expect(s.connects).toHaveLength(AT_ONCE + 40);
    } finally {
      await backend.close();
    }

    const closing = await EnvironmentBackend.open({ cwd: p.dir });
    let open!: () => void;
    const s = { ...record(), gate: new Promise<void>((resolve) => (open = resolve)) };
    seen.multidbReadConnections = s;
    const loads = closing.listBinds().map((b) => closing.loadBind(b.name));
    const closed = closing.close();
    open();
    await closed;
    const rows = await Promise.all(loads);
    expect(rows.slice(AT_ONCE).map((r) => [r.name, r.status])).toEqual(env.bindNames.slice(AT_ONCE).map((b) => [b, { kind: 'error', reason: 'not read: the TUI closed before its turn' }]));
    expect(s.connects.filter((b) => env.bindNames.indexOf(b) >= AT_ONCE)).toEqual([]);
    expect(openFiles(p.dir)).toBe(0);
  });
});
