// P2: script-only commands on 5,000 revisions (one linear branch, each creating a table):
// `heads` and `history`; P2': offline `upgrade --sql` of all of them, with the transpile cache
// warm and empty. multidb's cache is its module loader's (in TMPDIR, a folder of the bench's own); Alembic's
// is Python's __pycache__ of the revision files, deleted for the empty-cache case.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alembicCmd, createTableRevision, migrateCmd, tableName, writeAlembicProject, writeMultidbProject } from '../lib/projects.mjs';

export default {
  id: 'P2',
  title: 'heads / history / upgrade --sql, 5,000 revisions',
  sizes: { full: { revisions: 5000 }, tiny: { revisions: 20 } },
  async setup(dir, size, { want }) {
    const n = size.revisions;
    const revs = Array.from({ length: n }, (_, i) => createTableRevision(i));
    const m = join(dir, 'multidb');
    const a = join(dir, 'alembic');
    writeMultidbProject(m, { binds: `{ main: { url: 'sqlite:main.db' } }`, branch: 'main', revisions: revs.map((r) => r.multidb) });
    if (want('alembic')) writeAlembicProject(a, { url: `sqlite:///${join(a, 'main.db')}`, revisions: revs.map((r) => r.alembic) });
    const warmTmp = join(dir, 'tmp-warm');
    const coldTmp = join(dir, 'tmp-cold');
    mkdirSync(warmTmp, { recursive: true });
    const last = tableName(n - 1);
    const hasLast = (out) => { if (!out.includes(last)) throw new Error(`the SQL lacks table ${last}`); };
    const countLines = (out) => { if (out.trim().split('\n').length < n) throw new Error(`history lists fewer than ${n} lines`); };
    const head = (out) => { if (!out.includes('(head)')) throw new Error(`no head in: ${out}`); };
    const pair = (cmdM, cmdA, check, extra = {}) => ({
      multidb: { cwd: m, env: { TMPDIR: warmTmp }, cmd: migrateCmd(...cmdM), check, ...extra.multidb },
      alembic: { cwd: a, cmd: alembicCmd(a, ...cmdA), check, ...extra.alembic },
    });
    return {
      cases: [
        { name: `P2 heads (${n} revisions)`, tools: pair(['heads'], ['heads'], head), ratios: [{ of: 'multidb', to: 'alembic', target: 0.25 }] },
        { name: `P2 history (${n} revisions)`, tools: pair(['history'], ['history'], countLines), ratios: [{ of: 'multidb', to: 'alembic', target: 0.25 }] },
        { name: `P2' upgrade --sql, warm cache (${n} revisions)`, tools: pair(['upgrade', '--sql'], ['upgrade', 'head', '--sql'], hasLast), ratios: [{ of: 'multidb', to: 'alembic', target: 0.6 }] },
        {
          name: `P2' upgrade --sql, empty cache (${n} revisions)`,
          tools: pair(['upgrade', '--sql'], ['upgrade', 'head', '--sql'], hasLast, {
            multidb: { env: { TMPDIR: coldTmp }, prepare: (t) => { rmSync(t.env.TMPDIR, { recursive: true, force: true }); mkdirSync(t.env.TMPDIR); } },
            alembic: { prepare: () => rmSync(join(a, 'alembic', 'versions', '__pycache__'), { recursive: true, force: true }) },
          }),
          ratios: [{ of: 'multidb', to: 'alembic', target: 1.0 }],
        },
      ],
    };
  },
};
