// Peak RSS and wall time of `migrate upgrade --concurrency C` on N SQLite tenant binds sharing one
// branch of R revisions (each creating a table), from empty tenant files, one run per size.
//
//   node tools/bench/tenants-rss.mjs                      # 500, 1000, 2000 tenants × 20 revisions, --concurrency 4
//   node tools/bench/tenants-rss.mjs --tenants 2000 --revisions 20 --concurrency 4 [--cli path/to/migrate.cjs]
//   node tools/bench/tenants-rss.mjs --downgrade ...      # times `migrate downgrade --all-binds tenant@-1
//                                                         # --concurrency C` after an untimed upgrade
//
// Peak RSS and CPU time (user + system) come from GNU time (`/usr/bin/time -v`), wall time from
// the clock around the spawn; on a machine others load, CPU time moves much less than wall time.
// Prints one line per size with the load average at start; writes nothing else. The project is
// made in a temp folder (removed at the end); the transpile cache is the bench's own (TMPDIR).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appliedCheck, createTableRevision, MIGRATE, revId, writeMultidbProject } from './lib/projects.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = opt('tenants', '500,1000,2000').split(',').map(Number);
const revisions = Number(opt('revisions', '20'));
const concurrency = opt('concurrency', '4');
const cli = resolve(opt('cli', MIGRATE));
const downgrade = args.includes('--downgrade');

const root = mkdtempSync(join(tmpdir(), 'mdb-tenants-rss-'));
try {
  const revs = Array.from({ length: revisions }, (_, i) => createTableRevision(i));
  for (const n of sizes) {
    const dir = join(root, `t${n}`);
    writeMultidbProject(dir, {
      binds: `Object.fromEntries(Array.from({ length: ${n} }, (_, i) => ['tenant' + i, { url: 'sqlite:tenants/tenant' + i + '.db', branch: 'tenant' }]))`,
      branch: 'tenant',
      revisions: revs.map((r) => r.multidb),
    });
    mkdirSync(join(dir, 'tenants'), { recursive: true });
    const cache = join(root, 'cache');
    mkdirSync(cache, { recursive: true });
    if (downgrade) {
      const up = spawnSync(process.execPath, [cli, 'upgrade', '--concurrency', concurrency], { cwd: dir, env: { ...process.env, TMPDIR: cache }, encoding: 'utf8', maxBuffer: 1 << 30 });
      if (up.status !== 0) throw new Error(`upgrade before the downgrade failed: ${up.stderr.slice(0, 2000)}`);
    }
    const command = downgrade ? ['downgrade', '--all-binds', 'tenant@-1'] : ['upgrade'];
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    const t0 = performance.now();
    const run = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, ...command, '--concurrency', concurrency], {
      cwd: dir,
      env: { ...process.env, TMPDIR: cache },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const wallMs = performance.now() - t0;
    const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1] ?? NaN);
    const cpu = ['User', 'System'].reduce((sum, kind) => sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(run.stderr)?.[1] ?? NaN), 0);
    let applied = `last revision applied on all ${n}`;
    try {
      if (downgrade) {
        applied = `${n} downgraded`;
        if (!run.stderr.includes(`${n} downgraded, 0 failed`)) throw new Error('the summary does not say every tenant was downgraded');
      } else appliedCheck(revId(revisions - 1), n)('', run.stderr);
    } catch (error) {
      applied = `CHECK FAILED: ${String(error).split('\n')[0]}`;
    }
    const lines = run.stderr.split('\n').filter((l) => l && !/^\s/.test(l) && !/Command being timed/.test(l)).length;
    console.log(
      `${command.join(' ')}: ${n} tenants × ${revisions} revisions, --concurrency ${concurrency}: exit ${run.status}, wall ${(wallMs / 1000).toFixed(1)} s, CPU (user + system) ${cpu.toFixed(1)} s, ` +
        `peak RSS ${(rssKb / 1024).toFixed(1)} MiB, stderr lines ${lines}, ${applied}, load at start ${load}`,
    );
    if (run.status !== 0) console.log(run.stderr.split("\n").filter((l) => !/^\t/.test(l)).slice(0, 12).join("\n"));
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
