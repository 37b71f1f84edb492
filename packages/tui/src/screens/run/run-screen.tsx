import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { fit, formatDuration, formatRevisions, nameList, shortRevision, textWidth, truncate, wrap } from '../../shared/format.js';
import { bodyHeight, Frame } from '../../shared/frame.js';
import { describeRunParts } from './run-summary.js';
import type { RunSession } from '../../backend/tui-backend.js';
import { runOverview, type CategoryCounts, type RunOverview } from './run-overview.js';
import { useRun, type RunScroll } from './use-run.js';
import { useRunState, type BindProgress, type RunState } from './use-run-state.js';

/** A server's note on one line (its own line breaks are layout). */
const oneLine = (text: string) => text.trim().replace(/\s*\n\s*/g, ' ');

/** Props of {@link RunScreen}. */
export interface RunScreenProps {
  /** The running session ({@link TuiBackend.startRun}). */
  readonly session: RunSession;
  /** Columns available, in terminal cells. */
  readonly width: number;
  /** Lines available: the screen is exactly this tall. */
  readonly height: number;
  /** Whether this screen takes the keys (false under the help). */
  readonly isActive: boolean;
  /** A passing message shown above the footer (e.g. that a run cannot be left mid-revision). */
  readonly notice?: string | undefined;
  /**
   * The run was asked to stop after the revisions in progress (the first ctrl+c): the screen says
   * `stopping…` until it has, and that a second ctrl+c abandons it.
   */
  readonly stopping?: boolean;
  /** Back to the binds (once finished). */
  readonly onBack: () => void;
  /** Called once when every part has ended, with the final state. */
  readonly onFinished?: (state: RunState) => void;
  /** Milliseconds now (default `Date.now`; tests pass a fixed clock). */
  readonly clock?: () => number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A line of the run screen's body: its text (fitted to the width), Ink colour and dimming. */
export interface Line {
  /** The text, already fitted to the width (`''` for an empty line). */
  readonly text: string;
  /** An Ink colour name (`'red'`, `'cyan'`…); none for the default colour. */
  readonly color?: string;
  /** Drawn dim (details, hints). */
  readonly dim?: boolean;
}

/** The widest a name column gets: 16 cells, or two fifths of a wider screen (32 at 80 columns). */
function nameCap(width: number): number {
  return Math.max(16, Math.floor((width * 2) / 5));
}

/**
 * The lines of one bind's progress on the run screen (pure): its name, phase and revision n of m
 * (with how long the step has run or the lock has been waited for), then for a failed bind its
 * error and statement.
 * @param b - the bind's progress.
 * @param state - the whole run (its clock gives elapsed times).
 * @param nameWidth - columns of the bind name column.
 * @param width - columns available, in terminal cells.
 * @returns the lines, each with an optional Ink colour and dimming.
 * @example
 * ```ts
 * const state = initialRunState('up', [{ binds: ['db2'] }], Date.now());
 * for (const line of progressLines(state.binds[0]!, state, 8, 80)) console.log(line.text);
 * ```
 */
export function progressLines(b: BindProgress, state: RunState, nameWidth: number, width: number): Line[] {
  const name = fit(b.bind, nameWidth);
  const indentWidth = nameWidth + 4;
  const indent = ' '.repeat(indentWidth);
  const step = `revision ${b.index} of ${b.total ?? '?'}: ${shortRevision(b.revision ?? '?')} ${b.message ?? ''}`.trimEnd();
  const head = (symbol: string, text: string, color?: string): Line => ({ text: truncate(`${symbol} ${name}  ${text}`, width), ...(color ? { color } : {}) });
  // At most `limit` lines; text cut there ends with `…`, so a statement cut short does not read as whole.
  const more = (text: string, limit: number, color?: string): Line[] => {
    const all = wrap(text, width - indentWidth);
    const shown = all.slice(0, limit);
    if (all.length > limit) shown[limit - 1] = truncate(`${shown[limit - 1]!}…`, width - indentWidth);
    return shown.map((t) => ({ text: indent + t, ...(color ? { color } : { dim: true }) }));
  };
  switch (b.phase) {
    case 'starting':
      return [head('·', 'connecting, taking the migration lock', 'gray')];
    case 'waiting-lock':
      return [head('…', `waiting for the migration lock (${formatDuration(state.now - (b.waitingSince ?? state.now))}): another run holds it`, 'yellow')];
    case 'ready':
      if (b.total === undefined) return [head('·', 'locked, waiting for its turn', 'gray')];
      return [head('·', b.completed ? `${b.completed} of ${b.total} done, waiting for its turn` : `locked; ${b.total} to run`, 'gray')];
    case 'running': {
      const spin = SPINNER[Math.floor(state.now / 100) % SPINNER.length]!;
      return [head(spin, `${step} · ${formatDuration(state.now - (b.stepStartedAt ?? state.now))}`, 'cyan')];
    }
    case 'done': {
      const took = formatDuration((b.finishedAt ?? state.now) - (b.startedAt ?? state.startedAt));
      return [head('✔', `done: ${b.completed} revision${b.completed === 1 ? '' : 's'} in ${took}, now at ${formatRevisions(b.heads ?? [])}`, 'green')];
    }
    case 'nothing-to-do':
      return [head('✔', 'already at its target: nothing to run', 'green')];
    case 'stopped':
      return [head('–', `not run: the run of its binds stopped${b.stoppedBy ? ` when ${b.stoppedBy} failed` : ''}`, 'yellow')];
    case 'interrupted':
      if (b.interrupted === 'not-started') return [head('‖', 'interrupted before it started: nothing read or changed', 'yellow')];
      return [head('‖', `interrupted: ${b.completed} of ${b.total ?? '?'} done, stays at ${formatRevisions(b.heads ?? [])}`, 'yellow')];
    case 'failed': {
      const e = b.error;
      const lines: Line[] = [head('✘', b.revision ? `failed at ${step}` : 'failed', 'red')];
      if (e) {
        // A revision's error is followed by its statement and outcome; another error (a refusal
        // before any revision ran: a revision in flight, a lock timeout) is all there is to read,
        // its way out in its last sentence.
        lines.push(...more(e.reason, e.name === 'MigrationError' ? 3 : 8, 'red'));
        // Binds that could not be connected stopped the run: what it did not run, as core's message says.
        if (e.notRun) {
          const binds = nameList(e.notRun.binds);
          const verb = state.direction === 'up' ? 'upgrade' : 'downgrade';
          lines.push(...more(e.notRun.atGroup ? `not run (the run stopped here): ${binds}.` : `nothing ran: the ${verb} connects every bind before its first step; not run: ${binds}.`, 3));
        }
        // The server's own explanation (PostgreSQL: which key is duplicated), as the CLI prints it.
        if (e.detail) lines.push(...more(`detail: ${oneLine(e.detail)}`, 2, 'red'));
        if (e.hint) lines.push(...more(`hint: ${oneLine(e.hint)}`, 2));
        if (e.statement) lines.push(...more(`statement: ${e.statement}`, 3));
        if (e.name === 'MigrationError') {
          const at = formatRevisions(b.heads ?? []);
          const verb = state.direction === 'up' ? 'upgrade' : 'downgrade';
          const again = `Run the ${verb} again`;
          lines.push(
            ...more(
              // As core's message: running it again as it is fails the same way, so fix it first;
              // only what comes from the failed write on may change (the writes before are recorded as done).
              e.partial && e.resumable
                ? `part of this revision was applied and its progress recorded; ${b.bind} stays at ${at} with it in flight. ` +
                    `Fix what failed (the revision may change from the write that failed on, not before it), then run the ${verb} again to resume after the last completed write.`
                : e.partial && e.progressUnread
                ? `part of this revision may have been applied; its progress could not be read (the connection failed); ${b.bind} stays at ${at}. ${again}: it resumes after the writes recorded on the server.`
                : e.partial
                ? `part of this revision may have been applied; the version table is at ${at}`
                : e.nothingApplied
                ? `nothing of this revision was applied (it failed before its first write); ${b.bind} stays at ${at}`
                : `rolled back; ${b.bind} stays at ${at}`,
              e.partial && e.resumable ? 5 : 3,
            ),
          );
        }
      }
      return lines;
    }
  }
}

const count = (n: number) => n.toLocaleString('en-US');

/** `800 done · 4 running · 8 failed · 1,188 pending · 3 not run`, leaving out the categories at 0. */
function countsText(c: CategoryCounts): string {
  const parts = [
    c.done ? `${count(c.done)} done` : '',
    c.running ? `${count(c.running)} running` : '',
    c.failed ? `${count(c.failed)} failed` : '',
    c.pending ? `${count(c.pending)} pending` : '',
    c.stopped ? `${count(c.stopped)} not run` : '',
    c.interrupted ? `${count(c.interrupted)} interrupted` : '',
  ].filter(Boolean);
  return parts.join(' · ') || 'nothing yet';
}

/** The counts of a branch line, by the symbols of the bind lines: `✔ 100  ⠿ 3  ✘ 1  · 1,397  – 499`. */
function countsSymbols(c: CategoryCounts): string {
  const parts = [
    c.done ? `✔ ${count(c.done)}` : '',
    c.running ? `⠿ ${count(c.running)}` : '',
    c.failed ? `✘ ${count(c.failed)}` : '',
    c.pending ? `· ${count(c.pending)}` : '',
    c.stopped ? `– ${count(c.stopped)}` : '',
    c.interrupted ? `‖ ${count(c.interrupted)}` : '',
  ].filter(Boolean);
  return parts.join('  ');
}

const countsColor = (c: CategoryCounts) =>
  c.failed ? 'red' : c.running ? 'cyan' : c.done + c.stopped + c.interrupted === c.total ? (c.stopped || c.interrupted ? 'yellow' : 'green') : 'gray';

/** A bar of `width` cells, filled for the share of `part` in `whole`. */
function bar(part: number, whole: number, width: number): string {
  const filled = whole > 0 ? Math.round((part / whole) * width) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** Options of {@link overviewLines}. */
export interface OverviewLayout {
  /** Columns available, in terminal cells. */
  readonly width: number;
  /** Lines available: the result has at most this many. */
  readonly lines: number;
  /** Index, in {@link RunOverview.attention}, of the first bind shown in detail (scrolling). */
  readonly offset: number;
}

/**
 * The body of the run screen when its binds do not fit one line each (pure): the counts over
 * every bind, in words; per branch a progress bar (binds settled of its binds) and its counts by
 * the symbols of the bind lines (✔ done, ⠿ running, ✘ failed, · pending, – not run, ‖ interrupted); then the
 * running and failed binds in detail ({@link progressLines}) from `offset`, as many as fit, with
 * a line saying which of them are shown. Never more than `layout.lines` lines, whatever the
 * number of binds; the work is proportional to the branches and the lines shown.
 * @param state - the run.
 * @param overview - its {@link runOverview}.
 * @param layout - width, lines and scroll offset.
 * @returns the lines, each fitted to the width.
 * @example
 * ```ts
 * const state = initialRunState('up', [{ binds: ['t1', 't2'] }], Date.now(), { t1: 'tenant', t2: 'tenant' });
 * for (const line of overviewLines(state, runOverview(state), { width: 80, lines: 15, offset: 0 })) console.log(line.text);
 * ```
 */
export function overviewLines(state: RunState, overview: RunOverview, layout: OverviewLayout): Line[] {
  const { width, offset } = layout;
  const room = Math.max(1, layout.lines);
  const { all, branches, attention } = overview;
  const lines: Line[] = [{ text: truncate(`${count(all.total)} binds: ${countsText(all)}`, width), color: countsColor(all) }];
  // Branches take at most a third of the room; the last line says how many more there are.
  const branchRoom = Math.max(1, Math.min(branches.length, Math.floor(room / 3)));
  const shownBranches = branches.length > branchRoom ? branches.slice(0, branchRoom - 1) : branches;
  const nameWidth = Math.min(nameCap(width), Math.max(4, ...shownBranches.map((b) => textWidth(b.branch))));
  for (const b of shownBranches) {
    const settled = b.done + b.failed + b.stopped + b.interrupted;
    const numbers = `${count(settled)}/${count(b.total)}`;
    const counts = countsSymbols(b);
    // The bar takes what the words leave, 5 to 20 cells.
    const barWidth = Math.max(5, Math.min(20, width - nameWidth - textWidth(numbers) - textWidth(counts) - 5));
    lines.push({ text: truncate(`${fit(b.branch, nameWidth)}  ${bar(settled, b.total, barWidth)} ${numbers}  ${counts}`, width), color: countsColor(b) });
  }
  if (shownBranches.length < branches.length) {
    const more = branches.length - shownBranches.length;
    lines.push({ text: truncate(`… and ${count(more)} more branch${more === 1 ? '' : 'es'}`, width), dim: true });
  }
  if (attention.length === 0 || lines.length + 2 > room) return lines.slice(0, room);
  lines.push({ text: '' });
  // The binds in detail: from the offset, whole binds while they fit, then where the list stands.
  const first = Math.max(0, Math.min(offset, attention.length - 1));
  const left = room - lines.length;
  const detailWidth = Math.min(nameCap(width), Math.max(4, ...attention.slice(first, first + left).map((b) => textWidth(b.bind))));
  const detail: Line[] = [];
  let shown = 0;
  for (let i = first; i < attention.length; i++) {
    const more = progressLines(attention[i]!, state, detailWidth, width);
    const footer = i + 1 < attention.length || first > 0 ? 1 : 0;
    if (detail.length + more.length + footer > left) {
      // A bind that does not fit whole: its first lines, when it is the only one shown.
      if (shown === 0) detail.push(...more.slice(0, Math.max(1, left - 1)));
      if (shown === 0) shown = 1;
      break;
    }
    detail.push(...more);
    shown++;
  }
  lines.push(...detail);
  if (shown < attention.length) {
    const what = `running or failed binds ${count(first + 1)}-${count(first + shown)} of ${count(attention.length)} · ↑ ↓ scroll`;
    lines.push({ text: truncate(`… ${what}`, width), dim: true });
  }
  return lines.slice(0, room);
}

/** Lines the run screen keeps under the binds for what the revisions printed (a title and 3 lines). */
const OUTPUT_LINES = 3;

/** The most lines the outcome of a finished run takes on the run screen (the whole is printed on exit). */
const OUTCOME_LINES = 4;

/** The first `limit` (at least 1) of `lines`, the last ending with `…` when some were left out. */
function clip(lines: readonly string[], limit: number, width: number): string[] {
  const room = Math.max(1, limit);
  if (lines.length <= room) return [...lines];
  const shown = lines.slice(0, room);
  shown[room - 1] = truncate(`${shown[room - 1]!}…`, width);
  return shown;
}

/**
 * The lines of a finished run's summary on the run screen (pure): its outcome, then how to finish
 * the run (a failure, a ctrl+c) on lines of its own, each wrapped to the width. How to finish
 * comes whole when it fits in `lines` beside the outcome's first line; the outcome takes at most
 * {@link OUTCOME_LINES} of what is left. Text left out ends with `…` (the TUI prints the whole
 * summary when it closes).
 * @param state - the finished run.
 * @param width - columns available, in terminal cells.
 * @param lines - the most lines to return (at least 2 are returned when there is more to say).
 * @returns the lines.
 * @example
 * ```ts
 * summaryLines(initialRunState('up', [{ binds: ['db2'] }], 0), 40, 10); // ['Upgrade running for 0.0 s: nothing to', 'run.']
 * ```
 */
export function summaryLines(state: RunState, width: number, lines: number): string[] {
  const { outcome, next } = describeRunParts(state);
  const room = Math.max(2, lines);
  const after = next === undefined ? [] : clip(wrap(next, width), room - 1, width);
  return [...clip(wrap(outcome, width), Math.min(OUTCOME_LINES, room - after.length), width), ...after];
}

/**
 * The run screen: live progress per bind from core's events (revision n of m, the revision
 * running and for how long, waiting for the migration lock), a failing bind's error and
 * statement, and a summary at the end.
 *
 * @example
 * ```tsx
 * <RunScreen session={await backend.startRun({ direction: 'up', targets: ['db2@head'] })}
 *   width={80} height={23} isActive onBack={home} />
 * ```
 */
export function RunScreen({ session, width, height, isActive, notice, stopping = false, onBack, onFinished, clock }: RunScreenProps) {
  const state = useRunState(session, clock);
  const finished = state.finishedAt !== undefined;
  const [busy, setBusy] = useState(false);
  const [offset, setOffset] = useState(0);
  const overview = useMemo(() => runOverview(state), [state]);
  const output = state.output.slice(-OUTPUT_LINES);
  // The summary under the output, leaving a line for the binds (and the gaps above both).
  const summary = finished ? summaryLines(state, width, bodyHeight(height) - 2 - (output.length ? output.length + 2 : 0)) : [];
  // Room for the binds: the body less the output (a gap, a title, its lines) and the summary (a gap, its lines).
  const room = bodyHeight(height) - (output.length ? output.length + 2 : 0) - (summary.length ? summary.length + 1 : 0);
  // A line per bind (a failed bind's error under it) when they fit, else the overview, which
  // keeps to the room: lines past the body would squeeze the summary (Ink shrinks its lines to fit).
  const fits = state.binds.length <= room;
  const nameWidth = fits ? Math.min(nameCap(width), Math.max(4, ...state.binds.map((b) => textWidth(b.bind)))) : 0;
  const each = fits ? state.binds.flatMap((b) => progressLines(b, state, nameWidth, width)) : undefined;
  const grouped = each === undefined || each.length > room;
  // Key handlers may be the ones of an earlier render: they read the list's size through a ref.
  const size = useRef({ last: 0, page: 1 });
  size.current = { last: Math.max(0, overview.attention.length - 1), page: Math.max(1, Math.floor(room / 3)) };
  const scroll = (to: RunScroll) => {
    const { last, page } = size.current;
    setOffset((at) => {
      const next = to === 'up' ? at - 1 : to === 'down' ? at + 1 : to === 'page-up' ? at - page : to === 'page-down' ? at + page : to === 'top' ? 0 : last;
      return Math.max(0, Math.min(next, last));
    });
  };
  useRun({ isActive, finished, onBack, onBusy: () => setBusy(true), onScroll: scroll });
  useEffect(() => {
    if (finished) onFinished?.(state);
    // Once, when the run finishes.
  }, [finished]);
  const verb = state.direction === 'up' ? 'Upgrade' : 'Downgrade';
  const body: Line[] = grouped ? overviewLines(state, overview, { width, lines: Math.max(1, room), offset }) : each;
  const parallel = session.groups.length > 1 ? ` · ${session.groups.length} independent parts in parallel` : '';
  const back = finished
    ? 'enter · q  back to the binds'
    : stopping
      ? 'stopping · ctrl+c again abandons the run (open transactions roll back)'
      : 'running · ctrl+c stops it after the revisions in progress';
  const status = finished ? (overview.all.interrupted || state.interrupted ? 'stopped' : 'finished') : stopping ? `stopping… ${formatDuration(state.now - state.startedAt)}` : `running ${formatDuration(state.now - state.startedAt)}`;
  const stoppingNotice = 'Stopping after the revisions in progress… (ctrl+c again abandons them)';
  return (
    <Frame
      title={`${verb} · ${status}${parallel}`}
      footer={grouped && overview.attention.length > 1 ? `${back} · ↑ ↓ scroll` : back}
      notice={stopping && !finished ? stoppingNotice : busy && !finished ? 'The run is in progress: wait for it to finish (ctrl+c stops it).' : notice}
      width={width}
      height={height}
    >
      {body.map((line, i) => (
        <Text key={i} wrap="truncate-end" {...(line.color ? { color: line.color } : {})} dimColor={line.dim ?? false}>
          {line.text || ' '}
        </Text>
      ))}
      {output.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>Output of the revisions:</Text>
          {output.map((line, i) => (
            <Text key={i} dimColor wrap="truncate-end">
              {'  '}
              {truncate(line, width - 2)}
            </Text>
          ))}
        </Box>
      ) : null}
      {summary.length ? (
        <Box marginTop={1} flexDirection="column">
          {summary.map((line, i) => (
            <Text key={i} bold>
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </Frame>
  );
}
