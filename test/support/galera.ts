// A private MariaDB Galera cluster on 127.0.0.1 for tests: N nodes with their own datadirs under a
// temporary folder, spare ports (SQL, group communication, state transfer, incremental transfer),
// and `--defaults-file`, so the system's option files (which point at the local server) are not
// read. Node 1 bootstraps the cluster; the others join by an rsync state transfer. Started as
// root, mariadbd runs as `nobody`, who owns the datadirs (the rsync SST daemon drops to `nobody`
// and must write the joiner's datadir).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { freePort } from './free-port.js';

const PROVIDERS = ['/usr/lib/galera/libgalera_smm.so', '/usr/lib/libgalera_smm.so', '/usr/lib64/galera-4/libgalera_smm.so'];

/** Where the cluster's binaries and provider are; `undefined` members are missing on this machine. */
export function galeraPrerequisites(): { provider?: string; missing: string[] } {
  const missing: string[] = [];
  const provider = PROVIDERS.find((p) => existsSync(p));
  if (!provider) missing.push('galera-4 (libgalera_smm.so)');
  for (const bin of ['mariadbd', 'mariadb-install-db', 'rsync']) {
    if (spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`]).status !== 0) missing.push(bin);
  }
  return provider ? { provider, missing } : { missing };
}

/** One node of a {@link GaleraCluster}. */
export interface GaleraNode {
  readonly name: string;
  /** The SQL port on 127.0.0.1. */
  readonly port: number;
  readonly dir: string;
  process: ChildProcess | undefined;
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

/** A running test cluster; {@link GaleraCluster.start} makes one, {@link GaleraCluster.stop} deletes it. */
export class GaleraCluster {
  readonly dir: string;
  readonly nodes: GaleraNode[];

  private constructor(dir: string, nodes: GaleraNode[]) {
    this.dir = dir;
    this.nodes = nodes;
  }

  /** A `mariadb://` URL of `database` through node `i` (0-based), with extra query options. */
  url(i: number, database: string, query = ''): string {
    return `mariadb://root@127.0.0.1:${this.nodes[i]!.port}/${database}${query ? `?${query}` : ''}`;
  }

  /**
   * Runs a statement on node `i` as root, with causal reads (`wsrep_sync_wait = 1`: it sees every
   * commit of every node made before it).
   */
  async query<T = Record<string, unknown>>(i: number, sql: string, parameters: unknown[] = [], database?: string): Promise<T[]> {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: this.nodes[i]!.port, user: 'root', ...(database ? { database } : {}) });
    try {
      await conn.query('SET SESSION wsrep_sync_wait = 1');
      const [rows] = await conn.query(sql, parameters);
      return rows as T[];
    } finally {
      await conn.end();
    }
  }

  /**
   * Starts an `n`-node cluster and waits until every node is synced and the cluster has `n`
   * members (2 minutes at most).
   * @throws when a prerequisite is missing or a node does not come up (its error log's tail is in the message).
   */
  static async start(n = 3): Promise<GaleraCluster> {
    const { provider, missing } = galeraPrerequisites();
    if (!provider || missing.length) throw new Error(`cannot start a Galera cluster: missing ${missing.join(', ')} (apt-get install galera-4 rsync)`);
    const dir = mkdtempSync(join(tmpdir(), 'multidb-galera-'));
    const ports = await Promise.all(Array.from({ length: n * 4 }, freePort));
    const root = userInfo().uid === 0;
    const nodes: GaleraNode[] = [];
    const gcomm = Array.from({ length: n }, (_, i) => `127.0.0.1:${ports[n + i]}`).join(',');
    for (let i = 0; i < n; i++) {
      const nodeDir = join(dir, `n${i + 1}`);
      mkdirSync(join(nodeDir, 'data'), { recursive: true });
      const [sql, group, sst, ist] = [ports[i]!, ports[n + i]!, ports[2 * n + i]!, ports[3 * n + i]!];
      writeFileSync(
        join(nodeDir, 'my.cnf'),
        [
          '[mariadbd]',
          `datadir=${nodeDir}/data`,
          `socket=${nodeDir}/mysqld.sock`,
          `pid-file=${nodeDir}/mysqld.pid`,
          `log-error=${nodeDir}/error.log`,
          `port=${sql}`,
          'bind-address=127.0.0.1',
          ...(root ? ['user=nobody'] : []),
          'skip-name-resolve',
          'innodb_buffer_pool_size=32M',
          'innodb_log_file_size=16M',
          'binlog_format=ROW',
          'default_storage_engine=InnoDB',
          'innodb_autoinc_lock_mode=2',
          'wsrep_on=ON',
          `wsrep_provider=${provider}`,
          'wsrep_cluster_name=multidb_test',
          `wsrep_cluster_address=gcomm://${gcomm}`,
          `wsrep_node_address=127.0.0.1:${group}`,
          `wsrep_node_name=n${i + 1}`,
          'wsrep_sst_method=rsync',
          `wsrep_sst_receive_address=127.0.0.1:${sst}`,
          `wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:${group};ist.recv_addr=127.0.0.1:${ist};gcache.size=32M"`,
          '',
        ].join('\n'),
      );
      nodes.push({ name: `n${i + 1}`, port: sql, dir: nodeDir, process: undefined });
    }
    const cluster = new GaleraCluster(dir, nodes);
    try {
      if (root) chownTree(dir, 65534, 65534);
      const install = spawnSync('mariadb-install-db', [`--defaults-file=${nodes[0]!.dir}/my.cnf`, ...(root ? ['--user=nobody'] : []), '--auth-root-authentication-method=normal', '--skip-test-db'], {
        encoding: 'utf8',
      });
      if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
      cluster.startNode(0, { bootstrap: true });
      await cluster.waitReady(0);
      for (let i = 1; i < n; i++) cluster.startNode(i);
      for (let i = 1; i < n; i++) await cluster.waitReady(i);
      const [size] = await cluster.query<{ Value: string }>(0, "SHOW STATUS LIKE 'wsrep_cluster_size'");
      if (Number(size?.Value) !== n) throw new Error(`cluster size is ${size?.Value}, not ${n}`);
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Starts node `i`'s server (`bootstrap`: as the first node of a new cluster). */
  startNode(i: number, options: { bootstrap?: boolean } = {}): void {
    const node = this.nodes[i]!;
    const mariadbd = existsSync('/usr/sbin/mariadbd') ? '/usr/sbin/mariadbd' : 'mariadbd';
    node.process = spawn(mariadbd, [`--defaults-file=${node.dir}/my.cnf`, ...(options.bootstrap ? ['--wsrep-new-cluster'] : [])], { stdio: 'ignore' });
    node.process.on('error', () => undefined);
  }

  /** Waits until node `i` accepts connections and is `Synced` (2 minutes at most). */
  async waitReady(i: number, timeoutMs = 120_000): Promise<void> {
    const started = Date.now();
    let last: unknown;
    while (Date.now() - started < timeoutMs) {
      try {
        const [row] = await this.query<{ Value: string }>(i, "SHOW STATUS LIKE 'wsrep_local_state_comment'");
        if (row?.Value === 'Synced') return;
        last = row?.Value;
      } catch (error) {
        last = error;
      }
      if (this.nodes[i]!.process?.exitCode != null) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const log = spawnSync('tail', ['-n', '15', join(this.nodes[i]!.dir, 'error.log')], { encoding: 'utf8' }).stdout;
    throw new Error(`Galera node n${i + 1} not ready (${last instanceof Error ? last.message : String(last)}):\n${log}`);
  }

  /** Kills node `i`'s server at once (SIGKILL), as a crash. */
  kill(i: number): void {
    this.nodes[i]!.process?.kill('SIGKILL');
  }

  /** Stops every node (SIGTERM, then SIGKILL after 20 s) and deletes the cluster's folder. Never throws. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(
        (node) =>
          new Promise<void>((resolve) => {
            const child = node.process;
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}
