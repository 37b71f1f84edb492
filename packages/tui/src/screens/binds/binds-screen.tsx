import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { statusDetail, statusLabel } from './bind-status.js';
import { fit, formatRevisions, textWidth, truncate, wrap } from '../../shared/format.js';
import { bodyHeight, Frame } from '../../shared/frame.js';
import type { BindRow } from '../../backend/tui-backend.js';
import { useBinds } from './use-binds.js';
import { shownBinds, useBindsState } from './use-binds-state.js';
import { windowStart } from '../../shared/use-list-state.js';

/** Props of {@link BindsScreen}. */
export interface BindsScreenProps {
  /** One row per bind, in config order. */
  readonly rows: readonly BindRow[];
  /** The first line's title, e.g. the config path. */
  readonly title: string;
  /** Columns available, in terminal cells. */
  readonly width: number;
  /** Lines available: the screen is exactly this tall. */
  readonly height: number;
  /** Whether this screen takes the keys (false under the help or another screen). */
  readonly isActive: boolean;
  /** A passing message shown above the footer (e.g. why a key did nothing). */
  readonly notice?: string | undefined;
  /** Enter: review the selected binds (or the focused one). */
  readonly onReview: (binds: string[]) => void;
  /** `d`: downgrade the focused bind. */
  readonly onDowngrade: (bind: string) => void;
  /** `r`: read the config file and every bind again (the selection of binds that remain stays). */
  readonly onRefresh: () => void;
  /** `q` or Esc: leave (on the binds screen, quit). */
  readonly onBack: () => void;
}

/** Widths of the binds table's columns, in terminal cells; each includes the space after the column, 0 for a column left out. */
export interface BindColumns {
  /** The focus mark and the selection box (`› [x] `). */
  readonly mark: number;
  /** The bind's name. */
  readonly name: number;
  /** The dialect; 0 in a narrow terminal (the URL under the row names it). */
  readonly dialect: number;
  /** The current revision(s). */
  readonly current: number;
  /** The head revision(s). */
  readonly head: number;
  /** The number of pending revisions. */
  readonly pending: number;
  /** The status, the last column: all that is left of the width, without a space after it. */
  readonly status: number;
}

/**
 * The least the STATUS column keeps before other columns give way: `misconfigured`, or the first
 * 12 cells of a longer status and `…` (the detail below the table says it all).
 */
const STATUS_MIN = 13;

/** The least the name column keeps: 3 cells of the name, `…` and the space after it. */
const NAME_MIN = 5;

/**
 * Widths of the binds table's columns, in terminal cells, for a terminal `width`: the name
 * column fits the widest bind name (4 to 16 cells, wide characters counting two), the status
 * column takes the rest. Where the status would get less than 13 cells, the other columns give
 * way, in this order: DIALECT goes (the URL under each row names it), CURRENT and HEAD narrow to
 * 8 cells (ids cut with `…`), HEAD goes, CURRENT goes, then the name column narrows (names cut with
 * `…`, down to 4 cells). From 40 columns on (the app's least width) every row fits on its line;
 * see {@link BindColumns}.
 *
 * @example
 * ```ts
 * bindColumns(backend.listBinds(), 80); // { mark: 6, name: 9, dialect: 9, current: 13, head: 13, pending: 8, status: 22 } for 'default', 'db2'
 * bindColumns(backend.listBinds(), 60); // { mark: 6, name: 9, dialect: 0, current: 9, head: 9, pending: 8, status: 19 }
 * bindColumns(backend.listBinds(), 40); // { mark: 6, name: 9, dialect: 0, current: 0, head: 0, pending: 8, status: 17 }
 * ```
 */
export function bindColumns(rows: readonly BindRow[], width: number): BindColumns {
  let widest = 4;
  for (const r of rows) if (widest < 16) widest = Math.max(widest, textWidth(r.name));
  const name = Math.min(16, widest) + 2;
  const full = { mark: 6, name, dialect: 9, current: 13, head: 13, pending: 8 };
  const layouts = [
    full,
    { ...full, dialect: 0 },
    { ...full, dialect: 0, current: 9, head: 9 },
    { ...full, dialect: 0, current: 9, head: 0 },
    { ...full, dialect: 0, current: 0, head: 0 },
  ];
  const used = (c: Omit<BindColumns, 'status'>) => c.mark + c.name + c.dialect + c.current + c.head + c.pending;
  for (const layout of layouts) {
    if (width - used(layout) >= STATUS_MIN) return { ...layout, status: width - used(layout) };
  }
  // Narrower still: the name column gives way, down to NAME_MIN.
  const last = layouts[layouts.length - 1]!;
  const narrowed = { ...last, name: Math.max(NAME_MIN, Math.min(name, width - (used(last) - name) - STATUS_MIN)) };
  return { ...narrowed, status: Math.max(1, width - used(narrowed)) };
}

const DETAIL_LINES = 2;

/**
 * The focused bind's detail wrapped to the width, in the lines left below the binds (at least
 * {@link DETAIL_LINES}); text cut there ends with `…`, so a cut sentence does not read as whole.
 */
function detailLines(text: string | undefined, width: number, room: number): string[] {
  if (text === undefined) return [];
  const all = wrap(text, width);
  const limit = Math.max(DETAIL_LINES, room);
  if (all.length <= limit) return all;
  const shown = all.slice(0, limit);
  shown[limit - 1] = truncate(`${shown[limit - 1]!}…`, width);
  return shown;
}

/** A table cell: the text fitted to `width - 1` columns, then a space; nothing for a column left out (width 0). */
const cell = (text: string, width: number, align: 'left' | 'right' = 'left') => (width > 0 ? `${fit(text, width - 1, align)} ` : '');

/** Revisions in a cell of `width` columns (the space after included): one id, or a shorter first id and `+N`. */
const revisionsCell = (ids: readonly string[], width: number) => formatRevisions(ids, ids.length > 1 ? width - 5 : width - 1);

/**
 * The line under a bind's row: its masked URL, after its dialect when the DIALECT column is left
 * out and the URL does not start with the dialect's name (`(kysely instance)`).
 */
function locationText(row: BindRow, col: BindColumns): string {
  if (col.dialect > 0 || row.displayUrl.toLowerCase().startsWith(row.dialect.toLowerCase())) return row.displayUrl;
  return `${row.dialect} · ${row.displayUrl}`;
}

/**
 * The binds screen: one row per bind (name, dialect, masked URL, current revision, head,
 * pending revisions, status, `· in flight` for a revision stopped part way on MySQL/MariaDB), as
 * many as fit around the focused one; space selects, `a` selects all shown, `b` the focused bind's
 * branch, `/` filters by name or branch, enter reviews, `d` downgrades. Each frame draws only the
 * rows it shows, so thousands of binds stay usable.
 *
 * @example
 * ```tsx
 * <BindsScreen rows={rows} title="multidb" width={80} height={23} isActive onReview={review}
 *   onDowngrade={downgrade} onRefresh={reload} onBack={quit} />
 * ```
 */
export function BindsScreen({ rows, title, width, height, isActive, notice, onReview, onDowngrade, onRefresh, onBack }: BindsScreenProps) {
  const names = useMemo(() => rows.map((r) => r.name), [rows]);
  const branches = useMemo(() => rows.map((r) => r.branch), [rows]);
  const [state, dispatch, getState] = useBindsState(names, branches);
  useBinds({ isActive, getState, dispatch, onReview, onDowngrade, onRefresh, onBack });
  const col = useMemo(() => bindColumns(rows, width), [rows, width]);
  const visible = Math.max(1, Math.floor((bodyHeight(height) - 1 - DETAIL_LINES - 1) / 2));
  const shown = useMemo(() => shownBinds(state), [state.names, state.branches, state.filter]);
  const at = Math.max(0, shown.indexOf(state.cursor));
  const start = windowStart(at, shown.length, visible);
  const page = shown.slice(start, start + visible).map((i) => rows[i]!).filter(Boolean);
  const focused = shown.length ? rows[state.cursor] : undefined;
  const selected = new Set(state.selected);
  const detail = focused ? statusDetail(focused) : undefined;
  const count = (n: number) => n.toLocaleString('en-US');
  const more = shown.length > visible ? ` · ${count(start + 1)}-${count(start + page.length)} of ${count(shown.length)}` : '';
  const filtered = state.filter !== '' ? ` · /${state.filter}: ${count(shown.length)} shown` : '';
  const typing = state.filtering ? `filter: ${state.filter}▏  (name or branch; enter keeps it, esc clears it)` : undefined;
  return (
    <Frame
      title={title}
      right={`${count(state.selected.length)} of ${count(rows.length)} selected${filtered}${more} · ? keys`}
      footer="space select · a all · b branch · / filter · enter review · d downgrade · q quit"
      notice={typing ?? notice}
      width={width}
      height={height}
    >
      <Text bold>
        {' '.repeat(col.mark)}
        {cell('BIND', col.name)}
        {cell('DIALECT', col.dialect)}
        {cell('CURRENT', col.current)}
        {cell('HEAD', col.head)}
        {cell('PENDING', col.pending, 'right')}
        {fit('STATUS', col.status)}
      </Text>
      {rows.length === 0 ? <Text>The config declares no binds.</Text> : null}
      {rows.length > 0 && shown.length === 0 ? <Text>No bind's name or branch contains '{state.filter}'.</Text> : null}
      {page.map((row) => {
        const isFocused = row === focused;
        const isSelected = selected.has(row.name);
        const label = statusLabel(row.status, row.drift);
        // A revision stopped part way (MySQL/MariaDB) is marked whatever the status (core's is `in-flight`, which says it).
        const statusText = row.inFlight && row.status.kind !== 'in-flight' ? `${label.text} · in flight` : label.text;
        // Nothing was read of a bind not reached, or refused by its configuration before connecting.
        const known = row.status.kind !== 'loading' && row.status.kind !== 'unreachable' && row.status.kind !== 'misconfigured';
        return (
          <Box key={row.name} flexDirection="column">
            <Text>
              <Text color={isFocused ? 'cyan' : undefined}>{isFocused ? '› ' : '  '}</Text>
              <Text>{isSelected ? '[x] ' : '[ ] '}</Text>
              <Text bold={isFocused}>{cell(row.name, col.name)}</Text>
              {cell(row.dialect, col.dialect)}
              {cell(known ? revisionsCell(row.current, col.current) : '–', col.current)}
              {cell(row.heads.length ? revisionsCell(row.heads, col.head) : row.status.kind === 'loading' ? '–' : 'none', col.head)}
              {cell(known ? String(row.pending) : '–', col.pending, 'right')}
              <Text color={label.color}>{fit(statusText, col.status)}</Text>
            </Text>
            <Text dimColor>
              {' '.repeat(col.mark)}
              {truncate(locationText(row, col), width - col.mark)}
            </Text>
          </Box>
        );
      })}
      <Text> </Text>
      {detailLines(detail === undefined ? undefined : `${focused!.name}: ${detail}`, width, bodyHeight(height) - 1 - 2 * page.length - 1 - (rows.length === 0 || shown.length === 0 ? 1 : 0)).map((line, i) => (
        <Text key={i} color={focused && statusLabel(focused.status, focused.drift).color}>
          {line}
        </Text>
      ))}
    </Frame>
  );
}
