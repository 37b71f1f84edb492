import type { BindRow, BindStatus } from '../../backend/tui-backend.js';

/** Ink colour names used for statuses. */
export type StatusColor = 'green' | 'yellow' | 'red' | 'magenta' | 'gray';

/**
 * The words and colour of a bind's status on the binds screen. The words alone carry the
 * meaning (`NO_COLOR`).
 * @example
 * ```ts
 * statusLabel({ kind: 'up-to-date' }); // { text: 'up to date', color: 'green' }
 * ```
 */
export function statusLabel(status: BindStatus): { text: string; color: StatusColor } {
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
    case 'unreachable':
      return { text: 'unreachable', color: 'red' };
    case 'error':
      return { text: 'error', color: 'red' };
  }
}

/**
 * What more there is to say about a bind's status (the reason it is unreachable, the unknown
 * revisions, the heads to merge), or `undefined`.
 * @param row - the bind's row.
 * @returns one or two sentences, or `undefined` for `loading`, `up-to-date` and `pending`.
 * @example
 * ```ts
 * const row = await backend.loadBind('db2');
 * console.log(statusLabel(row.status).text, statusDetail(row) ?? '');
 * ```
 */
export function statusDetail(row: BindRow): string | undefined {
  const s = row.status;
  switch (s.kind) {
    case 'unreachable':
    case 'error':
      return s.reason;
    case 'ahead':
      return `Its version table names ${s.unknown.join(', ')}, which no script declares: the database is ahead of these scripts (or they are from another project).`;
    case 'multiple-heads':
      return `Branch '${row.branch}' has ${s.heads.length} heads (${s.heads.join(', ')}): an upgrade applies each; 'migrate merge heads -b ${row.name}' joins them.`;
    default:
      return undefined;
  }
}
