// A PostgreSQL bind pointing at a hot standby (a private primary and streaming standby, started by
// the test): every command that writes refuses it up front, naming the bind; read-only commands work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { PrimaryWithStandby } from '../support/pg-cluster.js';
import { TempProject } from '../support/project.js';

let servers: PrimaryWithStandby;
let p: TempProject;

beforeAll(async () => {
  servers = await PrimaryWithStandby.start();
  p = new TempProject(['db2'], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ directory: 'migrations', binds: { db2: { url: process.env.DB_URL! } } });\n`,
  });
  addRevision(p, 'db2', { revision: 'st01', downRevision: null, message: 'first', upgrade: "await op.createTable('first', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('first');" });
  p.env.DB_URL = servers.url('primary');
  await p.ok('upgrade');
  addRevision(p, 'db2', { revision: 'st02', downRevision: 'st01', message: 'second', upgrade: "await op.createTable('second', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('second');" });
  await servers.caughtUp();
  p.env.DB_URL = servers.url('standby');
}, 120_000);

afterAll(() => {
  servers?.stop();
  p?.remove();
});

describe('a PostgreSQL hot standby', () => {
  it.each([['upgrade'], ['downgrade', 'base'], ['stamp', 'head']])('`migrate %s` refuses it up front, naming the bind', async (...args) => {
    const out = await p.run(...args);
    expect(out.code).toBe(1);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\[db2\] is a read-only standby \(pg_is_in_recovery\(\) is true\)/);
    expect(out.stderr).not.toMatch(/read-only transaction/);
  });

  it('read-only commands still work there: current shows the replicated version, history lists both revisions', async () => {
    const current = await p.ok('current');
    expect(current.stdout).toMatch(/st01/);
    const history = await p.ok('history');
    expect(history.stdout).toMatch(/st02/);
    expect(await servers.query('standby', "SELECT version_num FROM multidb_version")).toEqual([{ version_num: 'st01' }]);
  });
});
