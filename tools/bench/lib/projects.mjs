// Writes the two projects a workload compares: a multidb project (migrate.config.ts, revisions in
// migrations/versions/<branch>/, optional models) and an Alembic project (alembic.ini, env.py,
// versions/*.py, optional models.py), with the same revisions.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `migrate` executable of this checkout (run it with `node`). */
export const MIGRATE = fileURLToPath(new URL('../../../packages/cli/bin/migrate.cjs', import.meta.url));

/** The revision template `migrate init` writes (this repository's copy). */
const TEMPLATE = fileURLToPath(new URL('../../../migrations/script.ts.tmpl', import.meta.url));

/** Revision id number i: 12 hex characters, the same in both projects. */
export const revId = (i) => `${(i + 1).toString(16).padStart(12, '0')}`;

/** Table name number i (`t00001`). */
export const tableName = (i) => `t${String(i).padStart(5, '0')}`;

/**
 * Writes a multidb project in `dir`. `binds`: TypeScript source of the config's `binds` object.
 * `revisions`: `[{ upgrade, downgrade }]` TypeScript bodies, chained in one branch `branch`.
 * `models`: source of a models module (`models.ts`), when given.
 */
export function writeMultidbProject(dir, { binds, branch, revisions, models, options = '' }) {
  mkdirSync(join(dir, 'migrations', 'versions', branch), { recursive: true });
  writeFileSync(
    join(dir, 'migrate.config.ts'),
    `import { defineConfig } from '@multidb/core';\nexport default defineConfig({\n  binds: ${binds},\n${options}});\n`,
  );
  copyFileSync(TEMPLATE, join(dir, 'migrations', 'script.ts.tmpl'));
  if (models !== undefined) writeFileSync(join(dir, 'models.ts'), models);
  revisions.forEach((r, i) => {
    const down = i === 0 ? 'null' : `'${revId(i - 1)}'`;
    writeFileSync(
      join(dir, 'migrations', 'versions', branch, `${revId(i)}_step_${i}.ts`),
      `import type { Operations } from '@multidb/core';\n\n` +
        `export const revision = '${revId(i)}';\nexport const downRevision = ${down};\n` +
        `export const branchLabels = ${i === 0 ? `['${branch}']` : '[]'};\nexport const dependsOn = [];\n` +
        `export const message = 'step ${i}';\nexport const createDate = '2026-12-04T10:00:00Z';\n\n` +
        `export async function upgrade(op: Operations): Promise<void> {\n  ${r.upgrade}\n}\n\n` +
        `export async function downgrade(op: Operations): Promise<void> {\n  ${r.downgrade}\n}\n`,
    );
  });
}

const ENV_PY = `# env.py of the benchmark: Alembic's generic template, plus a loop over several URLs.
# The URL comes from -x url=..., else BENCH_URLS (space-separated: one process migrates them all,
# one after the other), else sqlalchemy.url of alembic.ini.
import logging, os, sys
from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
# What the generic template's alembic.ini logging section does: WARN, alembic's own logger INFO
# (its "Running upgrade ..." lines) to stderr.
logging.basicConfig(level=logging.WARN, format="%(levelname)-5.5s [%(name)s] %(message)s")
logging.getLogger("alembic").setLevel(logging.INFO)
sys.path.insert(0, os.path.dirname(config.config_file_name))
try:
    from models import metadata as target_metadata
except ImportError:
    target_metadata = None

x = context.get_x_argument(as_dictionary=True)
urls = [x["url"]] if "url" in x else os.environ.get("BENCH_URLS", "").split() or [config.get_main_option("sqlalchemy.url")]

if context.is_offline_mode():
    for url in urls:
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True, dialect_opts={"paramstyle": "named"})
        with context.begin_transaction():
            context.run_migrations()
else:
    for url in urls:
        engine = create_engine(url, poolclass=pool.NullPool)
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata)
            with context.begin_transaction():
                context.run_migrations()
        engine.dispose()
`;

const SCRIPT_MAKO = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade():
    \${upgrades if upgrades else "pass"}


def downgrade():
    \${downgrades if downgrades else "pass"}
`;

/**
 * Writes an Alembic project in `dir` (script location `dir/alembic`, config `dir/alembic.ini`).
 * `revisions`: `[{ upgrade, downgrade }]` Python bodies (4-space indented lines), one chain.
 * `models`: source of `models.py` defining `metadata`, when given (autogenerate's target).
 */
export function writeAlembicProject(dir, { url, revisions, models }) {
  mkdirSync(join(dir, 'alembic', 'versions'), { recursive: true });
  writeFileSync(join(dir, 'alembic.ini'), `[alembic]\nscript_location = ${join(dir, 'alembic')}\nsqlalchemy.url = ${url}\n`);
  writeFileSync(join(dir, 'alembic', 'env.py'), ENV_PY);
  writeFileSync(join(dir, 'alembic', 'script.py.mako'), SCRIPT_MAKO);
  if (models !== undefined) writeFileSync(join(dir, 'models.py'), models);
  revisions.forEach((r, i) => {
    writeFileSync(
      join(dir, 'alembic', 'versions', `${revId(i)}_step_${i}.py`),
      `"""step ${i}\n\nRevision ID: ${revId(i)}\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n` +
        `revision = '${revId(i)}'\ndown_revision = ${i === 0 ? 'None' : `'${revId(i - 1)}'`}\nbranch_labels = None\ndepends_on = None\n\n\n` +
        `def upgrade():\n${r.upgrade}\n\n\ndef downgrade():\n${r.downgrade}\n`,
    );
  });
}

/** A revision creating table i (id, name) in both projects' languages. */
export function createTableRevision(i) {
  const t = tableName(i);
  return {
    multidb: {
      upgrade: `await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(50)' }]);`,
      downgrade: `await op.dropTable('${t}');`,
    },
    alembic: {
      upgrade: `    op.create_table('${t}', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(50)))`,
      downgrade: `    op.drop_table('${t}')`,
    },
  };
}

/** `python3 -m alembic` with Debian's Python (python3-alembic installs no alembic script, and a python3 earlier on PATH may lack the packages), on the project in `dir`. */
export function alembicCmd(dir, ...args) {
  return ['/usr/bin/python3', '-m', 'alembic', '-c', join(dir, 'alembic.ini'), ...args];
}

/** `migrate` on the project in `dir`. */
export function migrateCmd(...args) {
  return [process.execPath, MIGRATE, ...args];
}

/**
 * A `check` that the run applied revision `last` on `times` databases: multidb and Alembic both
 * log `… -> <revision>` for each revision they run (multidb on stderr, Alembic's logger on stderr).
 */
export function appliedCheck(last, times = 1) {
  return (stdout, stderr) => {
    // A branch of many binds is summarised by multidb: `[tenant ×200] Running upgrade a -> b, msg`
    // once, then `[tenant ×200] Ran upgrade a -> b, msg on 200 binds` at the end.
    let seen = 0;
    for (const line of `${stdout}\n${stderr}`.split('\n')) {
      if (!line.includes(`-> ${last}`) || /^\[[^\]]+ ×\d+\] Running /.test(line)) continue;
      const ran = /^\[[^\]]+ ×\d+\] Ran .* on (\d+) binds?$/.exec(line);
      seen += ran ? Number(ran[1]) : line.split(`-> ${last}`).length - 1;
    }
    if (seen !== times) throw new Error(`expected revision ${last} applied ${times} time(s), saw ${seen}:\n${stderr.slice(-1000)}`);
  };
}
