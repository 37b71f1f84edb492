import { RevisionError } from '../errors.js';
import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { revisionHistory } from '../script/revision-history.js';
import type { RevisionMap } from '../script/revision-map.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/** Options of {@link history}. */
export interface HistoryOptions {
  /**
   * Only this bind's branch. The ends of {@link range} that stand for every branch (`head`,
   * `heads`, `base`, `-N`, `+N`, `head-N`, `base+N`) are read along it: `-3:` is `db2@-3:`.
   */
  readonly bind?: string;
  /**
   * `A:B`, either side optional (Alembic's `-r`). An end `current` is where the bind stands (with
   * {@link bind}, or the only bind): `current:` lists its revision and what an upgrade would run
   * above it, `:current` what it has applied; at several revisions (heads of a fork), all of them.
   */
  readonly range?: string;
  /** Also read the version tables and say which binds are at each revision. */
  readonly indicateCurrent?: boolean;
}

/** The keys of {@link HistoryOptions}. */
const HISTORY_OPTIONS = keysOf<HistoryOptions>({ bind: true, range: true, indicateCurrent: true });

/** A revision of {@link history}, newest first. */
export interface HistoryEntry extends RevisionEntry {
  /** Binds whose version table holds this revision (with `indicateCurrent`), in config order. */
  readonly currentBinds: readonly string[];
  /** Several binds share the revision's branch (tenants): listings name the binds then. */
  readonly sharedBranch: boolean;
}

/** What {@link history} returns. */
export interface HistoryResult {
  /** The revisions, newest first. */
  readonly revisions: readonly HistoryEntry[];
  /**
   * With `indicateCurrent`, the binds whose version table could not be read (a server down, a URL
   * no dialect takes), each with the first line of its error, every password masked: no revision
   * names them in {@link HistoryEntry.currentBinds}. `misconfigured: true` marks a bind whose
   * configuration was refused before connecting (a `ConfigError`: `schema` on MySQL/MariaDB; a
   * `UrlError`: a URL no dialect takes, `mssql://…`, or one its dialect cannot parse).
   * `[]` otherwise.
   */
  readonly unreachable: readonly { readonly bind: string; readonly reason: string; readonly misconfigured?: boolean }[];
  /**
   * With `indicateCurrent`, the binds whose version table holds revisions no script declares (a
   * revision deleted from the repository, or stamped from another one), with those revisions:
   * no entry of {@link revisions} can mark them, so they are listed here (`current` shows them as
   * not in the scripts). `[]` otherwise.
   */
  readonly unknownCurrent: readonly { readonly bind: string; readonly revisions: readonly string[] }[];
}

/**
 * `migrate history`: revisions newest first, optionally in a range and for one bind's branch, with
 * the binds at each revision. Reads script headers; with `indicateCurrent` it also opens the binds
 * concerned and reads their version tables, creating nothing (a missing SQLite file is at base).
 * An unreachable bind does not stop the others: it is listed in {@link HistoryResult.unreachable};
 * a bind at a revision no script declares is listed in {@link HistoryResult.unknownCurrent}.
 *
 * @throws `UnknownBindError`, the range errors of `revisionHistory`, and with `indicateCurrent`
 *   `DuplicateDatabaseError` when two reachable binds share a database. `RevisionError` for a
 *   `current` end without one bind named (several binds), or of a bind that stands at several
 *   revisions when the other end is relative (`-1:current`); a `current` end reads the bind's version table (connection errors).
 *   `UnknownOptionError` when `options` holds a key {@link HistoryOptions} does not have (`rnge`),
 *   before anything is read.
 * @example
 * ```ts
 * const { revisions, unreachable, unknownCurrent } = await commands.history(env, { bind: 'db2', indicateCurrent: true });
 * for (const entry of revisions) console.log(entry.script.revision, entry.currentBinds.length ? '(current)' : '');
 * for (const u of unreachable) console.log(`[${u.bind}] unreachable: ${u.reason}`);
 * for (const u of unknownCurrent) console.log(`[${u.bind}] ${u.revisions.join(', ')} (current, not in the scripts)`);
 * ```
 */
export async function history(env: MigrationEnvironment, options: HistoryOptions = {}): Promise<HistoryResult> {
  checkOptions('history()', options, HISTORY_OPTIONS);
  // The version tables it reads (`indicateCurrent`, a `current` end) are one read: an upgrade of
  // this environment started meanwhile waits for it (see `env.reading`).
  const reads = options.indicateCurrent || options.range !== undefined ? (options.bind !== undefined ? [env.bind(options.bind).name] : env.bindNames) : [];
  return env.reading(reads, () => readHistory(env, options));
}

/** {@link history}, inside its read. */
async function readHistory(env: MigrationEnvironment, options: HistoryOptions): Promise<HistoryResult> {
  const map = await env.revisionMap();
  const branch = options.bind !== undefined ? env.bind(options.bind).branch : undefined;
  const { range: given, current } = options.range === undefined ? { range: undefined, current: undefined } : await withCurrent(env, map, options.range, options.bind);
  const range = given !== undefined && options.bind !== undefined ? scopedToBind(given, env.bind(options.bind).name) : given;
  let scripts: ReturnType<typeof revisionHistory>;
  try {
    scripts = revisionHistory(map, range, env.binds.map((b) => ({ bind: b.name, branch: b.branch })), current);
  } catch (error) {
    // Its message quotes the range as the user gave it (`-1:+1`), not as scoped to the bind (`db2@-1:db2@+1`).
    if (range !== given && given !== undefined && error instanceof RevisionError) error.message = error.message.split(`'${range}'`).join(`'${given}'`);
    throw error;
  }
  if (branch !== undefined) scripts = scripts.filter((s) => s.branch === branch);
  const currentBy = new Map<string, string[]>();
  const unreachable: { bind: string; reason: string; misconfigured?: boolean }[] = [];
  const unknownCurrent: { bind: string; revisions: string[] }[] = [];
  if (options.indicateCurrent) {
    const reads = await env.readHeads(options.bind !== undefined ? [env.bind(options.bind).name] : env.bindNames);
    for (const [name, read] of reads) {
      if (read.kind === 'unreachable' || read.kind === 'misconfigured') {
        unreachable.push({ bind: name, reason: read.reason, ...(read.kind === 'misconfigured' ? { misconfigured: true } : {}) });
        continue;
      }
      for (const revision of read.heads) {
        const binds = currentBy.get(revision);
        if (binds) binds.push(name);
        else currentBy.set(revision, [name]);
      }
      const unknown = read.heads.filter((revision) => !map.has(revision));
      if (unknown.length) unknownCurrent.push({ bind: name, revisions: unknown });
    }
  }
  const bindsOfBranch = new Map<string, number>();
  for (const b of env.binds) bindsOfBranch.set(b.branch, (bindsOfBranch.get(b.branch) ?? 0) + 1);
  const revisions = scripts.map((script) => {
    const entry = revisionEntry(map, script);
    // Written out rather than spread: V8 builds (and later reads) thousands of spread copies
    // several times slower than object literals.
    return {
      script: entry.script,
      isHead: entry.isHead,
      isEffectiveHead: entry.isEffectiveHead,
      labels: entry.labels,
      isMergePoint: entry.isMergePoint,
      isBranchPoint: entry.isBranchPoint,
      children: entry.children,
      currentBinds: currentBy.get(script.revision) ?? [],
      sharedBranch: (bindsOfBranch.get(script.branch) ?? 0) > 1,
    };
  });
  return { revisions, unreachable, unknownCurrent };
}

/**
 * `range` with an end `current` (Alembic's `history -r current:`) replaced by the revision the
 * bind stands at (`base` at base); when it stands at several (heads of a fork), the range as it is
 * with those revisions as `current`, which `revisionHistory` takes as a set (as Alembic does).
 * The bind is `bind`, or the only bind: each bind stands somewhere else.
 */
async function withCurrent(env: MigrationEnvironment, map: RevisionMap, range: string, bind: string | undefined): Promise<{ range: string; current?: readonly string[] }> {
  const colon = range.indexOf(':');
  if (colon < 0) return { range };
  const ends = [range.slice(0, colon).trim(), range.slice(colon + 1).trim()];
  if (!ends.includes('current')) return { range };
  const name = bind ?? (env.binds.length === 1 ? env.binds[0]!.name : undefined);
  if (name === undefined) {
    throw new RevisionError(
      `History range '${range}': 'current' is where one bind stands; name the bind (e.g. 'migrate history ${exampleBind(env, map, ends)} -r ${range}'), or see every bind with 'migrate history -i'.`,
    );
  }
  const heads = (await env.currentHeads([env.bind(name).name])).get(env.bind(name).name) ?? [];
  if (heads.length > 1) return { range, current: heads };
  const at = heads[0] ?? 'base';
  return { range: ends.map((end) => (end === 'current' ? at : end)).join(':') };
}

/**
 * `range` with each end that stands for every branch (`head`, `heads`, `base`, `-N`, `+N`,
 * `head-N`, `base+N`) qualified with the bind named (`history db2 -r -3:` reads `db2@-3:`), so it
 * counts along that bind's branch rather than failing on the other binds' heads. Other ends
 * (revisions, labels, `Q@…`) are kept as they are.
 */
function scopedToBind(range: string, bind: string): string {
  const colon = range.indexOf(':');
  if (colon < 0) return range;
  const scope = (end: string): string => (/^(?:heads?|base|[+-]\d+|head-\d+|base\+\d+)$/.test(end) ? `${bind}@${end}` : end);
  return `${scope(range.slice(0, colon).trim())}:${scope(range.slice(colon + 1).trim())}`;
}

/**
 * The bind a message suggests for a `current` end: one of the branch of the range's other end when
 * that is a revision or label, else the first bind whose branch has revisions, else the first.
 */
function exampleBind(env: MigrationEnvironment, map: RevisionMap, ends: readonly string[]): string {
  const other = ends.find((end) => end !== 'current' && end !== '');
  let branch: string | undefined;
  if (other !== undefined) {
    try {
      branch = map.resolve(other).branch;
    } catch {
      branch = undefined;
    }
  }
  const bind = env.binds.find((b) => (branch !== undefined ? b.branch === branch : map.heads(b.branch).length > 0));
  return (bind ?? env.binds[0]!).name;
}
