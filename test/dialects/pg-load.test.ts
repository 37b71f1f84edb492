// Loading pg costs no fetch implementation: at load, pg asks whether it runs in a Cloudflare
// Worker, and on Node 20 (no `navigator`) it did so by constructing a `Response`, which made Node
// load undici and its web streams (~40–90 ms of CPU in every process that connected to
// PostgreSQL). The dialect gives pg a `navigator` for the length of its require, as Node 21 and
// later have one, and takes it away again. Each case is a Node process of its own (vitest and this
// file's helpers load pg already), connecting to the real server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithServers, useDatabases } from '../support/servers.js';

/** Whether the process loaded Node's fetch implementation, and what `navigator` is at the end. */
const REPORT = `({ undici: process.moduleLoadList.some((m) => m.includes('undici')), navigator: typeof globalThis.navigator, nodeHasNavigator: Number(process.versions.node.split('.')[0]) >= 21 })`;

const BIN = fileURLToPath(new URL('../../packages/cli/bin/migrate.cjs', import.meta.url));

describeWithServers('pg loads without Node 20 loading its fetch implementation', ['postgres'], () => {
  const dbs = useDatabases('pgload', { main: 'postgres' });

  /** A repository of one PostgreSQL bind (`migrate init --multidb` with its config). */
  function repository(): string {
    const dir = mkdtempSync(join(tmpdir(), 'pgload-'));
    writeFileSync(join(dir, 'migrate.config.ts'), `export default { binds: { main: { url: ${JSON.stringify(dbs.main.url)} } } };\n`);
    execFileSync(process.execPath, [BIN, 'init', '--multidb'], { cwd: dir, stdio: 'ignore' });
    return dir;
  }

  it('from code: connecting a PostgreSQL bind through the dialect package', () => {
    const script = `
      import { commands, loadEnvironment } from '@multidb/core';
      import { dialects } from '@multidb/dialect/registry';
      const env = await loadEnvironment({ dialects, cwd: ${JSON.stringify(repository())} });
      const current = await commands.current(env);
      await env.close();
      console.log(JSON.stringify({ current, report: ${REPORT} }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8' })) as {
      current: unknown;
      report: { undici: boolean; navigator: string; nodeHasNavigator: boolean };
    };
    expect(out.current).toEqual([expect.objectContaining({ bind: 'main' })]); // it did connect
    expect(out.report.undici).toBe(false);
    expect(out.report.navigator).toBe(out.report.nodeHasNavigator ? 'object' : 'undefined');
  });

  it('from the migrate bin: `current` of a PostgreSQL bind', () => {
    const dir = repository();
    // A preload that reports at exit what the process loaded (the bin's own output goes to stderr/stdout).
    const preload = join(dir, 'report.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'report.json'))}, JSON.stringify(${REPORT})));\n`);
    execFileSync(process.execPath, ['-r', preload, BIN, 'current'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const report = JSON.parse(execFileSync(process.execPath, ['-p', `require('node:fs').readFileSync(${JSON.stringify(join(dir, 'report.json'))}, 'utf8')`], { encoding: 'utf8' })) as {
      undici: boolean;
      navigator: string;
      nodeHasNavigator: boolean;
    };
    expect(report.undici).toBe(false);
    expect(report.navigator).toBe(report.nodeHasNavigator ? 'object' : 'undefined');
  });
});
