#!/usr/bin/python3
"""Differential check of multidb's revision addressing against Alembic (not part of `npm test`).

Generates seeded random revision graphs (forks, branch labels, merges, depends_on, several
heads) as both an Alembic project and a one-bind multidb project on SQLite, runs the same
command sequences in both, and reports every step where they differ: success vs error, the
version-table rows, the tables the revisions created, and for reading commands the set of
revision ids printed.

    /usr/bin/python3 tools/parity/parity.py [--seeds 0:50] [--steps 12] [--deps 0.15] [--keep] [-v]

Needs Alembic (`python3 -m alembic`, Debian python3-alembic) and a built checkout (`npm run build`).
"""
import argparse
import io
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from alembic import command
from alembic.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, '..', '..', 'packages', 'cli', 'bin', 'migrate.cjs')

ENV_PY = '''
from sqlalchemy import engine_from_config, pool
from alembic import context
config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''

MAKO = '''"""${message}"""
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}
def upgrade():
    pass
def downgrade():
    pass
'''


class Graph:
    """A revision graph: list of dicts {id, down: [..], labels: [..], deps: [..]} in creation order."""

    def __init__(self, rng: random.Random, size: int, deps_rate: float):
        self.revs = []
        ids = set()

        def new_id():
            while True:
                if self.revs and rng.random() < 0.25:
                    # share a prefix with an existing revision, for ambiguous partial ids
                    base = rng.choice(self.revs)['id'][:rng.choice([3, 4, 5])]
                    i = base + ''.join(rng.choice('0123456789abcdef') for _ in range(12 - len(base)))
                else:
                    i = ''.join(rng.choice('0123456789abcdef') for _ in range(12))
                # a digit or letter start; avoid ids that are all digits (alembic treats them fine, but keep it plain)
                if i not in ids:
                    ids.add(i)
                    return i

        self.revs.append({'id': new_id(), 'down': [], 'labels': ['default'], 'deps': []})
        nlabel = 0
        while len(self.revs) < size:
            heads = self.heads()
            r = rng.random()
            if r < 0.15 and len(heads) >= 2:
                down = sorted(rng.sample(heads, 2))
            elif r < 0.45:
                down = [rng.choice(self.revs)['id']]  # fork (or extend)
            else:
                down = [rng.choice(heads)]
            rev = {'id': new_id(), 'down': down, 'labels': [], 'deps': []}
            if rng.random() < 0.3:
                nlabel += 1
                rev['labels'] = [f'lbl{nlabel}']
            if rng.random() < deps_rate:
                anc = self.ancestors(down)
                cands = [x['id'] for x in self.revs if x['id'] not in anc]
                if cands:
                    rev['deps'] = [rng.choice(cands)]
            self.revs.append(rev)

    def get(self, i):
        return next(r for r in self.revs if r['id'] == i)

    def heads(self):
        downs = {d for r in self.revs for d in r['down'] + r['deps']}
        return [r['id'] for r in self.revs if r['id'] not in downs]

    def ancestors(self, ids):
        out, stack = set(), list(ids)
        while stack:
            i = stack.pop()
            if i in out:
                continue
            out.add(i)
            r = self.get(i)
            stack += r['down'] + r['deps']
        return out

    def labels(self):
        return [l for r in self.revs for l in r['labels']]

    def describe(self):
        return '; '.join(
            f"{r['id'][:8]}<-{','.join(d[:8] for d in r['down']) or 'base'}"
            + (f" [{','.join(r['labels'])}]" if r['labels'] else '')
            + (f" deps={','.join(d[:6] for d in r['deps'])}" if r['deps'] else '')
            for r in self.revs
        )


def write_alembic(dir, g):
    os.makedirs(os.path.join(dir, 'versions'))
    with open(os.path.join(dir, 'env.py'), 'w') as f:
        f.write(ENV_PY)
    with open(os.path.join(dir, 'script.py.mako'), 'w') as f:
        f.write(MAKO)
    for r in g.revs:
        down = None if not r['down'] else (r['down'][0] if len(r['down']) == 1 else tuple(r['down']))
        with open(os.path.join(dir, 'versions', f"{r['id']}_r.py"), 'w') as f:
            f.write(
                'from alembic import op\nimport sqlalchemy as sa\n'
                f"revision = {r['id']!r}\ndown_revision = {down!r}\n"
                f"branch_labels = {tuple(r['labels']) or None!r}\ndepends_on = {tuple(r['deps']) or None!r}\n"
                f"def upgrade():\n    op.create_table('t_{r['id']}', sa.Column('id', sa.Integer, primary_key=True))\n"
                f"def downgrade():\n    op.drop_table('t_{r['id']}')\n"
            )


def write_multidb(dir, g):
    os.makedirs(os.path.join(dir, 'migrations', 'versions', 'default'))
    with open(os.path.join(dir, 'migrate.config.ts'), 'w') as f:
        f.write("import { defineConfig } from '@multidb/core';\n"
                "export default defineConfig({ directory: 'migrations', binds: { default: { url: 'sqlite:.data/default.db' } } });\n")
    lit = lambda v: repr(v).replace('"', "'")
    for r in g.revs:
        down = None if not r['down'] else (r['down'][0] if len(r['down']) == 1 else r['down'])
        with open(os.path.join(dir, 'migrations', 'versions', 'default', f"{r['id']}_r.ts"), 'w') as f:
            f.write(
                "import type { Operations } from '@multidb/core';\n"
                f"export const revision = '{r['id']}';\n"
                f"export const downRevision = {'null' if down is None else lit(down)};\n"
                f"export const branchLabels = {lit(r['labels'])};\n"
                f"export const dependsOn = {lit(r['deps'])};\n"
                f"export const message = 'r';\n"
                "export async function upgrade(op: Operations): Promise<void> {\n"
                f"  await op.createTable('t_{r['id']}', [{{ name: 'id', type: 'integer', primaryKey: true }}]);\n}}\n"
                "export async function downgrade(op: Operations): Promise<void> {\n"
                f"  await op.dropTable('t_{r['id']}');\n}}\n"
            )


def db_state(path, version_table):
    if not os.path.exists(path):
        return (frozenset(), frozenset())
    c = sqlite3.connect(path)
    try:
        tables = {r[0] for r in c.execute("select name from sqlite_master where type='table'")}
        rows = frozenset(r[0] for r in c.execute(f'select version_num from {version_table}')) if version_table in tables else frozenset()
        return (rows, frozenset(t[2:] for t in tables if t.startswith('t_')))
    finally:
        c.close()


class Alembic:
    def __init__(self, dir):
        self.dir = dir
        self.db = os.path.join(dir, 'a.db')

    def run(self, args):
        buf = io.StringIO()
        cfg = Config(stdout=buf)
        cfg.set_main_option('script_location', self.dir)
        cfg.set_main_option('sqlalchemy.url', f'sqlite:///{self.db}')
        verb, rest = args[0], args[1:]
        try:
            if verb == 'upgrade':
                command.upgrade(cfg, rest[0])
            elif verb == 'downgrade':
                command.downgrade(cfg, rest[0])
            elif verb == 'stamp':
                purge = '--purge' in rest
                revs = [a for a in rest if a != '--purge']
                command.stamp(cfg, revs if len(revs) > 1 else revs[0], purge=purge)
            elif verb == 'current':
                command.current(cfg)
            elif verb == 'heads':
                command.heads(cfg)
            elif verb == 'branches':
                command.branches(cfg)
            elif verb == 'history':
                command.history(cfg, rev_range=rest[1])
            elif verb == 'show':
                command.show(cfg, rest[0])
            return True, buf.getvalue()
        except Exception as e:  # noqa: BLE001 - any failure is the result
            return False, f'{type(e).__name__}: {e}'

    def state(self):
        return db_state(self.db, 'alembic_version')


class Multidb:
    def __init__(self, dir):
        self.dir = dir
        self.db = os.path.join(dir, '.data', 'default.db')

    def run(self, args):
        p = subprocess.run(['node', BIN, *args], cwd=self.dir, capture_output=True, text=True, env={**os.environ, 'FORCE_COLOR': '0'})
        return p.returncode == 0, p.stdout + ('\n' + p.stderr if p.returncode else '')

    def state(self):
        return db_state(self.db, 'multidb_version')


deliberate_counts = {}
tainted = []

RELATIVE_FORM = re.compile(r'(^|@)[+-]\d+$|\w[+-]\d+$')


def deliberate(args, a_ok, a_out, m_ok, m_out):
    """The documented, deliberate differences: the key they are counted under, or None."""
    if args[0] == 'stamp' and any(RELATIVE_FORM.search(t) for t in args[1:]):
        return 'stamp reads +N/-N/head-N/<rev>-N as every command does (README: one grammar; Alembic: not found, or label@-N = head-N)'
    if args[0] == 'stamp' and not a_ok and a_out.startswith('AssertionError'):
        return 'Alembic fails an internal assertion (multi-target stamp on one line)'
    if args[:2] == ['downgrade', '-1'] or (args[0] == 'downgrade' and re.fullmatch(r'-\d+', args[1])):
        if not m_ok and 'Multiple heads' in m_out:
            return 'downgrade -N from several heads is refused (planDowngrade: on purpose unlike Alembic)'
    if args[0] == 'downgrade' and '@head' in args[1] and not a_ok and 'Multiple head revisions' in a_out:
        return "Alembic's downgrade Q@head ignores Q (get_revision('head')); multidb takes the head of Q's line (README)"
    if not a_ok and m_ok and 'Ambiguous walk' in a_out:
        return 'known, left: stepping down from a merge reaches both down revisions (RevisionMap.walk; README of tools/parity)'
    if args[0] == 'downgrade' and re.search(r'@base$', args[1]) and a_ok and m_ok:
        return 'known, left: downgrade label@base / <rev>@base takes back only that line (planDowngrade; README of tools/parity)'
    if args[0] == 'downgrade' and args[1].startswith('default@') and not a_ok and m_ok and 'Not a valid downgrade target from current heads' in a_out:
        return "Alembic keeps only the root label's ancestors among the children of the target (none for the root's label); 'default' is the bind in multidb"
    if args[0] == 'downgrade' and re.fullmatch(r'[^@]+@[0-9a-f]+', args[1]) and a_ok and not m_ok and 'is not in the line of' in m_out:
        return "downgrade label@<rev> with <rev> off the label's line is refused (README: it must lie on it); Alembic resolves <rev> alone"
    if args[0] == 'downgrade' and args[1] == 'heads' and not a_ok and m_ok:
        return "Alembic's downgrade heads fails (get_revision('heads')); multidb: nothing to do from the heads"
    if not a_ok and a_out.startswith('KeyError'):
        return 'Alembic crashes (KeyError) on several stamp targets on one line'
    if args[0] == 'stamp' and a_ok and m_ok and len([t for t in args[1:] if t != '--purge']) > 1:
        return 'stamp applies several targets in order (planStamp)'
    return None


READING = {'current', 'heads', 'branches', 'history', 'show'}


def ids_in(text, g):
    found = set(re.findall(r'\b[0-9a-f]{12}\b', text))
    return frozenset(found & {r['id'] for r in g.revs})


def show_ids(text, g):
    return frozenset(re.findall(r'^Rev: ([0-9a-f]{12})', text, re.M))


def targets(rng, g, verb):
    ids = [r['id'] for r in g.revs]
    i = rng.choice(ids)
    labels = g.labels()
    lbl = rng.choice(labels)
    pre = i[:rng.choice([4, 5, 6])]
    common = [i, pre, f'{i}+1', f'{i}-1', f'{lbl}@head', f'{lbl}@+1', f'{lbl}@-1', f'{lbl}@base', f'{i}@head', f'{i}@base',
              f'{lbl}@{rng.choice(ids)}', f'{lbl}@{i[:5]}', 'head', 'heads', 'base', 'head-1', 'base+1', 'base+2', f'{lbl}@head-1',
              f'{lbl}@base+1', f'{i}@+1', f'{i}@-1', f'{lbl}@heads']
    if verb == 'upgrade':
        # <root>-1 and head-N past the root are base: Alembic refuses to upgrade to it (an
        # assertion), multidb with a RevisionError; base itself is a no-op in both.
        root = g.revs[0]['id']
        return rng.choice(common + ['+1', '+2', 'heads', 'head', f'{i}+2', f'{root}-1', f'{root[:5]}-1', f'head-{len(g.revs)}', 'base'])
    if verb == 'downgrade':
        return rng.choice(common + ['-1', '-2', 'base', f'{i}-2'])
    if verb == 'stamp':
        return rng.choice(common + [i, i, 'heads', 'base'])
    return rng.choice(common)


def step_args(rng, g):
    r = rng.random()
    if r < 0.32:
        return ['upgrade', targets(rng, g, 'upgrade')]
    if r < 0.58:
        return ['downgrade', targets(rng, g, 'downgrade')]
    if r < 0.72:
        n = rng.choice([1, 1, 2])
        args = ['stamp', *[targets(rng, g, 'stamp') for _ in range(n)]]
        if rng.random() < 0.3:
            args.append('--purge')
        return args
    if r < 0.78:
        return ['current']
    if r < 0.82:
        return ['heads']
    if r < 0.86:
        return ['branches']
    if r < 0.94:
        ids = [x['id'] for x in g.revs]
        ends = ['', 'base', 'head', 'heads', rng.choice(ids), rng.choice(ids)[:5], f'{rng.choice(g.labels())}@head', f'{rng.choice(g.labels())}@base']
        return ['history', '-r', f'{rng.choice(ends)}:{rng.choice(ends)}']
    return ['show', rng.choice([rng.choice([x['id'] for x in g.revs]), 'head', 'heads', 'base', rng.choice(g.labels())])]


def run_seed(seed, nsteps, keep, verbose, deps_rate):
    rng = random.Random(seed)
    g = Graph(rng, rng.randint(3, 9), deps_rate)
    root = tempfile.mkdtemp(prefix=f'parity-{seed}-')
    a_dir, m_dir = os.path.join(root, 'alembic'), os.path.join(root, 'multidb')
    write_alembic(a_dir, g)
    write_multidb(m_dir, g)
    a, m = Alembic(a_dir), Multidb(m_dir)
    diffs = []
    history = []
    for n in range(nsteps):
        args = step_args(rng, g)
        before = a.state()
        a_ok, a_out = a.run(args)
        m_ok, m_out = m.run(args)
        a_state, m_state = a.state(), m.state()
        history.append(' '.join(args))
        problem = None
        if a_ok != m_ok:
            problem = 'alembic ' + ('ok' if a_ok else 'error') + ', multidb ' + ('ok' if m_ok else 'error')
        elif not a_ok:
            pass  # both refused; Alembic's stamp --purge may have emptied its table before failing
        elif a_state != m_state:
            problem = 'state differs'
        elif a_ok and args[0] in READING:
            ex = show_ids if args[0] == 'show' else ids_in
            if ex(a_out, g) != ex(m_out, g):
                problem = f'reported ids differ: alembic {sorted(x[:6] for x in ex(a_out, g))} multidb {sorted(x[:6] for x in ex(m_out, g))}'
        known = deliberate(args, a_ok, a_out, m_ok, m_out) if problem else None
        if problem and known:
            problem = None
            deliberate_counts[known] = deliberate_counts.get(known, 0) + 1
        if not problem and a_state != m_state:
            sync(a, m, a_state)  # both refused (Alembic's stamp --purge empties first), or a deliberate difference
        if problem:
            diffs.append({
                'seed': seed, 'step': n, 'args': ' '.join(args), 'problem': problem, 'graph': g.describe(),
                'before': sorted(x[:6] for x in before[0]),
                'alembic': (a_ok, a_out.strip()[-400:], sorted(x[:6] for x in a_state[0])),
                'multidb': (m_ok, m_out.strip()[-400:], sorted(x[:6] for x in m_state[0])),
                'history': list(history),
            })
            # resynchronise: make multidb's database a copy of alembic's state
            sync(a, m, a_state)
        rows = list(a_state[0])
        if any(x != y and x in g.ancestors([y]) for x in rows for y in rows):
            # Alembic wrote a row that is an ancestor of another (several stamp targets on one
            # line); multidb refuses to plan from such a table (VersionTableError): stop this seed.
            tainted.append(f'seed {seed}: Alembic left ancestor rows after {" ".join(args)}')
            break
        if verbose:
            print(f'  [{seed}:{n}] {" ".join(args)} -> alembic {"ok" if a_ok else "err"}, multidb {"ok" if m_ok else "err"}{"  DIFF: " + problem if problem else ""}', flush=True)
    if not keep:
        shutil.rmtree(root)
    return diffs


def sync(a, m, a_state):
    """Copies alembic's version rows and tables to multidb's database."""
    os.makedirs(os.path.dirname(m.db), exist_ok=True)
    c = sqlite3.connect(m.db)
    try:
        tables = {r[0] for r in c.execute("select name from sqlite_master where type='table'")}
        for t in tables:
            if t.startswith('t_'):
                c.execute(f'drop table "{t}"')
        c.execute('create table if not exists multidb_version (version_num varchar(32) not null primary key)')
        c.execute('delete from multidb_version')
        for v in a_state[0]:
            c.execute('insert into multidb_version values (?)', (v,))
        for t in a_state[1]:
            c.execute(f'create table "t_{t}" (id integer primary key)')
        c.commit()
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', default='0:20')
    ap.add_argument('--steps', type=int, default=12)
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('--deps', type=float, default=0.15, help='share of revisions with a depends_on (0 for none)')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()
    lo, hi = (int(x) for x in args.seeds.split(':'))
    total = 0
    for seed in range(lo, hi):
        diffs = run_seed(seed, args.steps, args.keep, args.verbose, args.deps)
        for d in diffs:
            total += 1
            print(f"\n=== seed {d['seed']} step {d['step']}: {d['args']}  ({d['problem']})")
            print(f"graph: {d['graph']}")
            print(f"before: {d['before']}")
            print(f"alembic: {'ok' if d['alembic'][0] else 'ERROR'} rows={d['alembic'][2]} :: {d['alembic'][1]}")
            print(f"multidb: {'ok' if d['multidb'][0] else 'ERROR'} rows={d['multidb'][2]} :: {d['multidb'][1]}")
        sys.stdout.flush()
    for t in tainted:
        print(f'stopped early: {t}')
    for k, v in deliberate_counts.items():
        print(f'deliberate ({v}x): {k}')
    print(f'\n{total} difference(s) over seeds {args.seeds}')
    return 1 if total else 0


if __name__ == '__main__':
    sys.exit(main())
