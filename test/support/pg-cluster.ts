// Private PostgreSQL servers for tests that the shared local server cannot serve: a primary with a
// streaming hot standby (the local server allows no replication connections), and a server that
// really checks passwords (scram-sha-256; the local one trusts 127.0.0.1). Each runs from a
// temporary folder on a spare port on 127.0.0.1; started as root, the servers run as the
// `postgres` user (initdb refuses root). PostgreSQL's server binaries are found under
// /usr/lib/postgresql/<major>/bin, or MULTIDB_TEST_PG_BIN.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/**
 * The newest installed PostgreSQL's bin folder (`/usr/lib/postgresql/<major>/bin`, or
 * MULTIDB_TEST_PG_BIN); `undefined` when there is none.
 */
export function pgBin(): string | undefined {
  if (process.env['MULTIDB_TEST_PG_BIN']) return process.env['MULTIDB_TEST_PG_BIN'];
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  return majors.map((m) => join(root, m, 'bin')).find((d) => existsSync(join(d, 'initdb')));
}

function requirePgBin(): string {
  const bin = pgBin();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql, or set MULTIDB_TEST_PG_BIN)');
  return bin;
}

/** uid/gid of the `postgres` user when running as root, else nothing (run as ourselves). */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): void {
  const user = runAs();
  const result = spawnSync(command, args, { encoding: 'utf8', ...(user ?? {}), ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${String(result.stderr || result.stdout || result.error)}`);
}

/** A primary and its hot standby; {@link PrimaryWithStandby.stop} stops both and deletes their folder. */
export class PrimaryWithStandby {
  readonly dir: string;
  readonly primaryPort: number;
  readonly standbyPort: number;
  readonly #bin: string;

  private constructor(dir: string, primaryPort: number, standbyPort: number, bin: string) {
    this.dir = dir;
    this.primaryPort = primaryPort;
    this.standbyPort = standbyPort;
    this.#bin = bin;
  }

  /** A `postgres://` URL of `database` on the primary or the standby. */
  url(server: 'primary' | 'standby', database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${server === 'primary' ? this.primaryPort : this.standbyPort}/${database}`;
  }

  /** Runs one statement on a server. */
  async query<T = Record<string, unknown>>(server: 'primary' | 'standby', sql: string, database = 'postgres'): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url(server, database) });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /**
   * Creates and starts a primary, then a standby from `pg_basebackup -R`, and waits until the
   * standby is in recovery (a minute at most).
   * @throws when a server does not start (pg_ctl's message).
   */
  static async start(): Promise<PrimaryWithStandby> {
    const bin = requirePgBin();
    const dir = mkdtempSync(join(tmpdir(), 'multidb-pg-standby-'));
    const user = runAs();
    if (user) chownSync(dir, user.uid, user.gid);
    const [primaryPort, standbyPort] = [await freePort(), await freePort()];
    const cluster = new PrimaryWithStandby(dir, primaryPort, standbyPort, bin);
    const primary = join(dir, 'primary');
    const standby = join(dir, 'standby');
    try {
      run(join(bin, 'initdb'), ['-D', primary, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
      appendFileSync(
        join(primary, 'postgresql.conf'),
        `\nport = ${primaryPort}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nwal_level = replica\nmax_wal_senders = 4\nshared_buffers = 16MB\nfsync = off\n`,
      );
      appendFileSync(join(primary, 'pg_hba.conf'), '\nhost replication postgres 127.0.0.1/32 trust\n');
      run(join(bin, 'pg_ctl'), ['-D', primary, '-l', join(dir, 'primary.log'), '-w', '-t', '60', 'start']);
      run(join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standby, '-R', '-X', 'stream', '--no-sync']);
      appendFileSync(join(standby, 'postgresql.conf'), `\nport = ${standbyPort}\nhot_standby = on\n`);
      run(join(bin, 'pg_ctl'), ['-D', standby, '-l', join(dir, 'standby.log'), '-w', '-t', '60', 'start']);
      const [row] = await cluster.query<{ standby: boolean }>('standby', 'SELECT pg_is_in_recovery() AS standby');
      if (row?.standby !== true) throw new Error('the standby is not in recovery');
      return cluster;
    } catch (error) {
      cluster.stop();
      throw error;
    }
  }

  /** Waits until the standby has replayed everything the primary has written (a minute at most). */
  async caughtUp(): Promise<void> {
    const [{ lsn } = { lsn: '' }] = await this.query<{ lsn: string }>('primary', 'SELECT pg_current_wal_lsn()::text AS lsn');
    for (let i = 0; i < 600; i++) {
      const [row] = await this.query<{ ok: boolean }>('standby', `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS ok`);
      if (row?.ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the standby did not catch up within a minute');
  }

  /** Stops both servers (fast shutdown) and deletes their folder. Never throws. */
  stop(): void {
    for (const name of ['standby', 'primary']) {
      const data = join(this.dir, name);
      if (existsSync(join(data, 'postmaster.pid'))) {
        try {
          run(join(this.#bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // already stopped
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A server that checks passwords (scram-sha-256) for user `postgres`; {@link ScramPostgres.stop} deletes it. */
export class ScramPostgres {
  readonly dir: string;
  readonly port: number;
  readonly password: string;
  readonly #bin: string;

  private constructor(dir: string, port: number, password: string, bin: string) {
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.#bin = bin;
  }

  /**
   * initdb with `--auth=scram-sha-256 --pwfile`, then `pg_ctl start` on a free port (its socket in
   * the same folder).
   * @throws when the binaries are missing or the server does not start.
   */
  static async start(password: string): Promise<ScramPostgres> {
    const bin = requirePgBin();
    const dir = mkdtempSync(join(tmpdir(), 'multidb-scram-'));
    const user = runAs();
    if (user) chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    const data = join(dir, 'data');
    const server = new ScramPostgres(dir, await freePort(), password, bin);
    try {
      run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync', '-E', 'UTF8', '--locale=C']);
      run(join(bin, 'pg_ctl'), [
        '-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), 'start',
        '-o', `-p ${server.port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c max_connections=20`,
      ]);
      return server;
    } catch (error) {
      server.stop();
      throw error;
    }
  }

  /** A URL of `database` as `user` with `password` (default: the right ones), percent-encoded. */
  url(user = 'postgres', password = this.password, database = 'postgres'): string {
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${database}`;
  }

  /** Stops the server (immediate shutdown) and deletes its folder. Never throws. */
  stop(): void {
    try {
      if (existsSync(join(this.dir, 'data', 'postmaster.pid'))) run(join(this.#bin, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
