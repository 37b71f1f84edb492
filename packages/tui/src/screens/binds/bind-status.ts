import type { BindRow, BindStatus, Drift } from '../../backend/tui-backend.js';

/** Ink colour names used for statuses. */
export type StatusColor = 'green' | 'yellow' | 'red' | 'magenta' | 'gray';

/**
 * The words and colour of a bind's status on the binds screen; a bind at head whose models differ
 * from its database reads `up to date · drift`. The words alone carry the meaning (`NO_COLOR`).
 * @example
 * ```ts
 * statusLabel({ kind: 'up-to-date' }); // { text: 'up to date', color: 'green' }
 * statusLabel({ kind: 'up-to-date' }, { kind: 'differs', changes: ["Detected added column 'user.dummy'"] }); // { text: 'up to date · drift', color: 'yellow' }
 * ```
 */
export function statusLabel(status: BindStatus, drift?: Drift): { text: string; color: StatusColor } {
  if (status.kind === 'up-to-date' && drift?.kind === 'differs') return { text: 'up to date · drift', color: 'yellow' };
  switch (status.kind) {
    case 'loading':
      return { text: 'checking…', color: 'gray' };
    case 'up-to-date':
      return { text: 'up to date', color: 'green' };
    case 'pending':
      return { text: 'pending', color: 'yellow' };
    case 'ahead':
      return { text: 'ahead of the scripts', color: 'magenta' };
    case 'multiple-heads':
      return { text: 'multiple heads', color: 'magenta' };
    case 'in-flight':
      return { text: 'in flight', color: 'red' };
    case 'misconfigured':
      return { text: 'misconfigured', color: 'red' };
    case 'unreachable':
      return { text: 'unreachable', color: 'red' };
    case 'error':
      return { text: 'error', color: 'red' };
  }
}

/**
 * What more there is to say about a bind's status (a revision in flight, the reason it is
 * unreachable or misconfigured, the unknown revisions, the heads to merge, the drift from its models), or `undefined`.
 * @param row - the bind's row.
 * @returns one or more sentences, or `undefined` for `loading`, `pending`, and `up-to-date` without
 *   drift, when no revision is in flight.
 * @example
 * ```ts
 * const row = await backend.loadBind('db2');
 * console.log(statusLabel(row.status, row.drift).text, statusDetail(row) ?? '');
 * ```
 */
export function statusDetail(row: BindRow): string | undefined {
  const f = row.inFlight;
  // The line names the bind already (`pg: …`): a reason that names it too (core's connection
  // errors, `[pg] cannot connect to …`) is not named twice.
  const said = statusDetailOf(row);
  const detail = said?.startsWith(`[${row.name}] `) ? said.slice(row.name.length + 3) : said;
  if (!f) return detail;
  const flight =
    `Revision ${f.revision} is in flight (${f.direction === 'up' ? 'upgrade' : 'downgrade'} stopped after ${f.writes} write(s), last: ${f.last}): ` +
    `once what made it stop is fixed (the revision may change from the write that failed on), ${f.direction === 'up' ? `upgrading ${row.name} again` : `downgrading ${row.name} one step again`} resumes it; after a repair by hand, ` +
    `'migrate resolve ${row.name} --applied' or '--not-applied' records it.`;
  return detail === undefined ? flight : `${flight} ${detail}`;
}

function statusDetailOf(row: BindRow): string | undefined {
  const s = row.status;
  switch (s.kind) {
    case 'misconfigured':
    case 'unreachable':
    case 'error':
      return s.reason;
    case 'ahead':
      return `Its version table names ${s.unknown.join(', ')}, which no script declares: the database is ahead of these scripts (or they are from another project).`;
    case 'multiple-heads':
      return `Branch '${row.branch}' has ${s.heads.length} heads (${s.heads.join(', ')}): an upgrade applies each; 'migrate merge heads --bind ${row.name} -m MSG' joins them.`;
    case 'up-to-date':
      if (row.drift?.kind === 'differs') {
        const n = row.drift.changes.length;
        return `Its database differs from its models (${n} change${n === 1 ? '' : 's'}: ${row.drift.changes.join('; ')}); 'migrate migrate -m <message>' writes the revision.`;
      }
      if (row.drift?.kind === 'unknown') return `Could not compare with its models: ${row.drift.reason}`;
      return undefined;
    default:
      return undefined;
  }
}
