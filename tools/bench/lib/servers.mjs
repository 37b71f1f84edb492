// The bench's own databases on the local servers (uniquely named, dropped afterwards), and the
// Alembic packages from Debian, installed when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** Server URLs (override with the test suite's variables). */
export const POSTGRES_URL = process.env.MULTIDB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_URL = process.env.MULTIDB_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

/** A URL with its path replaced by `db` (and, for SQLAlchemy, its scheme by `scheme`). */
export function databaseUrl(serverUrl, db, scheme) {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  if (scheme) return `${scheme}:${u.href.slice(u.protocol.length)}`;
  return u.href;
}

async function withPg(fn, url = POSTGRES_URL) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function withMysql(fn) {
  const u = new URL(MYSQL_URL);
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    connectTimeout: 5000,
  });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/**
 * The bench's databases on one server kind (`'postgres' | 'mysql'`): `create(n)` makes n uniquely
 * named empty databases and returns their names; `reset(name)` empties one (PostgreSQL: a new
 * `public` schema; MariaDB: drop and create); `dropAll()` drops every database it made.
 */
export function serverDatabases(kind) {
  const made = [];
  const prefix = `mdbbench_${randomBytes(3).toString('hex')}`;
  const q = kind === 'postgres' ? (n) => `"${n}"` : (n) => `\`${n}\``;
  const admin = (sqls) =>
    kind === 'postgres'
      ? withPg(async (c) => { for (const s of sqls) await c.query(s); })
      : withMysql(async (c) => { for (const s of sqls) await c.query(s); });
  return {
    async create(n) {
      const names = Array.from({ length: n }, (_, i) => `${prefix}_${i}`);
      await admin(names.map((name) => `CREATE DATABASE ${q(name)}`));
      made.push(...names);
      return names;
    },
    async reset(name) {
      if (kind === 'postgres') {
        await withPg((c) => c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'), databaseUrl(POSTGRES_URL, name));
      } else {
        await admin([`DROP DATABASE ${q(name)}`, `CREATE DATABASE ${q(name)}`]);
      }
    },
    /** Runs SQL statements in one database (setup, untimed). */
    async exec(name, sqls) {
      if (kind === 'postgres') {
        await withPg(async (c) => { for (const s of sqls) await c.query(s); }, databaseUrl(POSTGRES_URL, name));
      } else {
        await withMysql(async (c) => { await c.query(`USE ${q(name)}`); for (const s of sqls) await c.query(s); });
      }
    },
    async dropAll() {
      if (made.length) await admin(made.splice(0).map((name) => `DROP DATABASE IF EXISTS ${q(name)}`));
    },
  };
}

/** The PostgreSQL / MariaDB server versions (for the results' header), or the reason they are not known. */
export async function serverVersions() {
  const pgv = await withPg((c) => c.query('SHOW server_version')).then((r) => `PostgreSQL ${r.rows[0].server_version}`, (e) => `PostgreSQL ? (${e.message})`);
  const myv = await withMysql((c) => c.query('SELECT VERSION() AS v')).then(([rows]) => `MariaDB/MySQL ${rows[0].v}`, (e) => `MariaDB ? (${e.message})`);
  return [pgv, myv];
}

const DEBIAN_PYTHON = '/usr/bin/python3';
const PACKAGES = ['python3-alembic', 'python3-sqlalchemy', 'python3-psycopg2', 'python3-pymysql'];

/**
 * Makes sure Debian's Alembic, SQLAlchemy and drivers are importable by /usr/bin/python3,
 * installing them with apt-get when they are not (and saying so). Returns their versions.
 */
export function ensureAlembic(log = console.log) {
  const probe = () =>
    spawnSync(DEBIAN_PYTHON, ['-c', 'import alembic, sqlalchemy, psycopg2, pymysql; print(alembic.__version__, sqlalchemy.__version__)'], { encoding: 'utf8' });
  let r = probe();
  if (r.status !== 0) {
    log(`Alembic is missing: installing ${PACKAGES.join(' ')} with apt-get install -y (Debian packages) ...`);
    execFileSync('apt-get', ['install', '-y', ...PACKAGES], { stdio: ['ignore', 'ignore', 'inherit'] });
    r = probe();
    if (r.status !== 0) throw new Error(`Alembic still cannot be imported by ${DEBIAN_PYTHON}:\n${r.stderr}`);
    log('Alembic installed.');
  }
  const [alembic, sqlalchemy] = r.stdout.trim().split(' ');
  const python = spawnSync(DEBIAN_PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { alembic, sqlalchemy, python };
}
