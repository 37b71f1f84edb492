// Offline mode opens no database, so a bind's URL scheme decides the rules of its script: a
// `mysql://` URL gives MySQL's, though the server behind it may be MariaDB, which refuses some of
// what they write (`DROP CHECK`; `NULL` after a generated column's clause; expression indexes).
// Such a script says so: a `-- WARNING:` comment before each statement MariaDB refuses, and one
// `[bind] WARNING:` line on stderr for the bind (not one per revision), pointing to `mariadb://`.
// Piped into the MariaDB server, the MySQL script fails where the comment says; the `mariadb://`
// script of the same revisions runs and says nothing. Revisions whose SQL MariaDB takes as MySQL
// writes it (a TEXT default in parentheses) say nothing either.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipeInto } from '../support/mysql-offline.js';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const TIMEOUT = 240_000;

const CONFIG = `import { defineConfig } from '@multidb/core';
export default defineConfig({ directory: 'migrations', binds: { my: { url: process.env.MY_URL! } } });
`;

const [R1, R2, R3] = ['d0000000000a', 'd0000000000b', 'd0000000000c'];

const REVISIONS = [
  revisionSource({
    revision: R1,
    downRevision: null,
    branchLabels: ['my'],
    message: 'line',
    upgrade:
      "await op.createTable('line', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'qty', type: 'integer' }, { name: 'note', type: 'text', default: 'none' }], " +
      "{ checkConstraints: [{ name: 'ck_line_qty', expression: 'qty > 0' }] });",
    downgrade: "await op.dropTable('line');",
  }),
  revisionSource({
    revision: R2,
    downRevision: R1,
    message: 'total',
    upgrade: "await op.addColumn('line', { name: 'total', type: 'integer', generated: { sql: 'qty * 2', stored: false } });",
    downgrade: "await op.dropColumn('line', 'total');",
  }),
  revisionSource({
    revision: R3,
    downRevision: R2,
    message: 'no qty check',
    upgrade: "await op.dropConstraint('ck_line_qty', 'line', { type: 'check' });",
    downgrade: "await op.createCheckConstraint('ck_line_qty', 'line', 'qty > 0');",
  }),
];

const WARNING =
  "[my] WARNING: This script follows MySQL's rules: offline mode opens no database, and the bind's URL (mysql://) names MySQL. " +
  'If the server is MariaDB, statements of the script fail there (MariaDB refuses NULL or NOT NULL on a generated column; ' +
  'MariaDB has no DROP CHECK, only DROP CONSTRAINT; a WARNING comment precedes each). ' +
  "Write the URL as mariadb://… and write the script again, for MariaDB's rules.";

describeWithServers('offline scripts of a mysql:// bind say what a MariaDB server refuses', ['mysql'], () => {
  const dbs = useDatabases('offline_mysql_url', { mysqlRules: 'mysql', mariadbRules: 'mysql' });
  const p = new TempProject([], { config: CONFIG });
  afterAll(() => p.remove());

  beforeAll(async () => {
    p.env.MY_URL = dbs.mysqlRules.url;
    await p.ok('init', '--multidb');
    REVISIONS.forEach((source, i) => p.write(`migrations/versions/my/${[R1, R2, R3][i]}_r.ts`, source));
  }, TIMEOUT);

  it(
    'mysql://: one WARNING line for the bind, a comment before each statement MariaDB refuses; the script fails on MariaDB where the comment says',
    async () => {
      p.env.MY_URL = dbs.mysqlRules.url;
      const out = await p.run('upgrade', '--sql');
      expect(out.code).toBe(0);
      expect(out.stderr.split('\n').filter((l) => l.includes('WARNING'))).toEqual([WARNING]);
      const comments = out.stdout.split('\n').filter((l) => l.startsWith('-- WARNING'));
      expect(comments).toEqual(['-- WARNING: MariaDB refuses NULL or NOT NULL on a generated column', '-- WARNING: MariaDB has no DROP CHECK, only DROP CONSTRAINT']);
      expect(out.stdout).toMatch(/-- WARNING: MariaDB refuses NULL or NOT NULL on a generated column\nALTER TABLE `line` ADD COLUMN `total` int GENERATED ALWAYS AS \(qty \* 2\) VIRTUAL NULL;/);
      expect(out.stdout).toMatch(/-- WARNING: MariaDB has no DROP CHECK, only DROP CONSTRAINT\nALTER TABLE `line` DROP CHECK `ck_line_qty`;/);

      // What the warning says, MariaDB does: the script stops at the generated column.
      const u = new URL(dbs.mysqlRules.url);
      const piped = spawnSync('mariadb', ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root'), u.pathname.slice(1)], { input: out.stdout, encoding: 'utf8' });
      expect(piped.status).not.toBe(0);
      expect(piped.stderr).toMatch(/ERROR 1064[^]*near 'NULL'/);

      // Only the first revision (a TEXT default MySQL writes in parentheses, which MariaDB takes): nothing said.
      const first = await p.run('upgrade', '--sql', `${R1}`);
      expect(first.stderr).not.toMatch(/WARNING/);
      expect(first.stdout).not.toMatch(/WARNING/);
    },
    TIMEOUT,
  );

  it(
    "mariadb://: MariaDB's rules, nothing said; the script runs on the server",
    async () => {
      const url = dbs.mariadbRules.url.replace(/^mysql:/, 'mariadb:');
      p.env.MY_URL = url;
      const out = await p.run('upgrade', '--sql');
      expect(out.code).toBe(0);
      expect(out.stderr).not.toMatch(/WARNING/);
      expect(out.stdout).not.toMatch(/WARNING/);
      pipeInto(url, out.stdout);
    },
    TIMEOUT,
  );
});
