import { Text } from 'ink';
import { useMemo } from 'react';
import { fit, formatCount, formatRevisions, nameList, shortRevision, textWidth, truncate, wrap } from '../../shared/format.js';
import { bodyHeight, Frame } from '../../shared/frame.js';
import type { RevisionInFlight } from '@multidb/core';
import type { CrossBindDependency, HistoryEntry, ReviewModel } from '../../backend/tui-backend.js';
import { useReview } from './use-review.js';
import { isFocusable, reviewItems, useReviewState, type ReviewItem, type ReviewMode } from './use-review-state.js';
import { windowStart } from '../../shared/use-list-state.js';

/** Props of {@link ReviewScreen}. */
export interface ReviewScreenProps {
  /** The planned upgrade ({@link TuiBackend.review}). */
  readonly model: ReviewModel;
  /**
   * Each bind's version branch (bind name → branch), for the title's count per branch when the
   * binds' names do not fit it; without it the title counts binds only.
   */
  readonly branches?: Readonly<Record<string, string>> | undefined;
  /**
   * The revisions stopped part way on MySQL/MariaDB (bind name → the row's `inFlight`): the
   * pending revision of such a bind is marked, since the upgrade resumes it after the writes it
   * completed rather than running it whole; a downgrade in flight is said above the list, since
   * it blocks the upgrade of its bind until a downgrade resumes it.
   */
  readonly inFlight?: Readonly<Record<string, RevisionInFlight>> | undefined;
  /** Columns available, in terminal cells. */
  readonly width: number;
  /** Lines available: the screen is exactly this tall. */
  readonly height: number;
  /** Whether this screen takes the keys (false under the help or another screen). */
  readonly isActive: boolean;
  /** A passing message shown above the footer. */
  readonly notice?: string | undefined;
  /** Enter on a revision: show it (its SQL and source). */
  readonly onOpen: (bind: string, revision: string) => void;
  /** `u`, or `y` after enter on the Upgrade line (which asks first): run the upgrade. */
  readonly onUpgrade: () => void;
  /** `q` or Esc: back to the binds. */
  readonly onBack: () => void;
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** `db2:ab12 first`; a branch of many binds (tenants) is named with their count: `tenant (2,000 binds):ab12 first`. */
function dependency(d: CrossBindDependency): string {
  const where = d.binds.length > 3 ? `${d.branch} (${plural(d.binds.length, 'bind')})` : d.binds.length ? d.binds.join(',') : d.branch;
  return `${where}:${shortRevision(d.revision)}${d.inPlan ? ' first' : ' (applied)'}`;
}

const HISTORY_STATE: Record<HistoryEntry['state'], string> = { current: '◀ current', applied: 'applied', pending: 'pending', other: '' };

/** `tenant ×1,998, default ×1, db2 ×1`: the binds counted per branch, in order of first appearance. */
function perBranch(binds: readonly string[], branches: Readonly<Record<string, string>>): string {
  const counts = new Map<string, number>();
  for (const b of binds) {
    const branch = branches[b] ?? b;
    counts.set(branch, (counts.get(branch) ?? 0) + 1);
  }
  return [...counts].map(([branch, n]) => `${branch} ×${formatCount(n)}`).join(', ');
}

/**
 * The review screen's title: the selected binds' names when they fit in `width` cells, else their
 * count, per branch when `branches` (bind → branch) is given. Not cut to `width`.
 * @example
 * ```ts
 * reviewTitle(['db2'], 68); // 'Review · upgrade db2'
 * const tenants = Array.from({ length: 2000 }, (_, i) => `tenant${i}`);
 * reviewTitle(tenants, 68, Object.fromEntries(tenants.map((t) => [t, 'tenant']))); // 'Review · upgrade 2,000 binds (tenant ×2,000)'
 * ```
 */
export function reviewTitle(binds: readonly string[], width: number, branches?: Readonly<Record<string, string>>): string {
  // Measured name by name: string-width over 2,000 names joined takes a third of a second.
  let cells = textWidth('Review · upgrade ');
  const fits = binds.every((b, i) => (cells += textWidth(b) + (i ? 2 : 0)) <= width);
  if (binds.length <= 1 || fits) return `Review · upgrade ${binds.join(', ')}`;
  const counted = `Review · upgrade ${plural(binds.length, 'bind')}`;
  return branches ? `${counted} (${perBranch(binds, branches)})` : counted;
}

/**
 * What the review says of the selected binds whose downgrade stopped part way (MySQL/MariaDB): core
 * refuses to upgrade such a bind (`PartlyAppliedError`) until a downgrade resumes it, once what made
 * it stop is fixed. Starts with
 * a lower-case letter; `undefined` when there is none.
 * @example
 * ```ts
 * downgradesInFlight(['my'], { my: { revision: 'b10000000002', direction: 'down', writes: 1, last: 'dropTable g2' } });
 * // 'the downgrade of b10000000002 on my is in flight (stopped after 1 write(s), last: dropTable g2): upgrading is refused while a downgrade is in flight; once what made it stop is fixed, downgrading my one step again resumes it (q, then d on the binds screen).'
 * ```
 */
export function downgradesInFlight(binds: readonly string[], inFlight: Readonly<Record<string, RevisionInFlight>> | undefined): string | undefined {
  const down = inFlight ? binds.filter((b) => inFlight[b]?.direction === 'down') : [];
  if (down.length === 0) return undefined;
  const f = inFlight![down[0]!]!;
  const what =
    down.length === 1
      ? `the downgrade of ${f.revision} on ${down[0]} is in flight (stopped after ${f.writes} write(s), last: ${f.last})`
      : `a downgrade is in flight on ${formatCount(down.length)} binds (${nameList(down, 3, 2)})`;
  // As core's PartlyAppliedError: run again as it is, a step that stopped on an error fails the same way.
  const again = `once what made it stop is fixed, downgrading ${down.length === 1 ? down[0] : 'each'} one step again resumes it`;
  return `${what}: upgrading is refused while a downgrade is in flight; ${again} (q, then d on the binds screen).`;
}

/** Narrowest a name is cut to (with its `…`) before fewer names are listed. */
const NAME_MIN = 12;

/**
 * A group's bind names within `room` cells: up to 3 names (or 2 and the count of the rest); where
 * they do not fit, the names are cut before the count is, then one name and the count.
 */
function groupNames(names: readonly string[], room: number): string {
  const full = nameList(names, 3, 2);
  if (names.length <= 3 || textWidth(full) <= room) return full;
  for (const shown of [2, 1]) {
    const rest = ` and ${formatCount(names.length - shown)} more`;
    const listed = names.slice(0, shown);
    const whole = `${listed.join(', ')}${rest}`;
    if (textWidth(whole) <= room) return whole;
    const each = Math.floor((room - textWidth(rest) - 2 * (shown - 1)) / shown);
    if (each >= NAME_MIN || (shown === 1 && each >= 2)) return `${listed.map((n) => truncate(n, each)).join(', ')}${rest}`;
  }
  return full;
}

function itemText(item: ReviewItem, width: number, inFlight: Readonly<Record<string, RevisionInFlight>> | undefined, confirming: boolean): { text: string; bold?: boolean; dim?: boolean; color?: string } {
  switch (item.kind) {
    case 'bind':
    case 'group': {
      const b = item.kind === 'bind' ? item.bind : item.binds[0]!;
      const todo = b.steps.length ? `${b.steps.length} to run` : 'nothing to run';
      const why = b.selected ? '' : ' · pulled in: a selected bind depends on it';
      if (item.kind === 'bind') return { text: truncate(`${b.bind}  at ${formatRevisions(b.current)} · ${todo}${why}`, width - 2), bold: true };
      const head = `${plural(item.binds.length, 'bind')} at ${formatRevisions(b.current)} · ${b.steps.length ? `${todo} each` : todo}${why}: `;
      return { text: truncate(`${head}${groupNames(item.binds.map((m) => m.bind), width - 2 - textWidth(head))}`, width - 2), bold: true };
    }
    case 'step': {
      const s = item.step;
      const deps = s.dependsOn.length ? ` · after ${s.dependsOn.map(dependency).join(', ')}` : '';
      const f = inFlight?.[s.bind];
      // Stopped part way: the upgrade resumes it after the writes it completed (the binds screen says more).
      const resumes = f && f.direction === 'up' && f.revision === s.revision ? ` · in flight: resumes after ${plural(f.writes, 'write')} (last: ${f.last})` : '';
      return { text: truncate(`${fit(`${s.index}/${s.total}`, 5, 'right')}  ${fit(shortRevision(s.revision), 12)}  ${s.message}${resumes}${deps}`, width - 2), ...(resumes ? { color: 'yellow' } : {}) };
    }
    case 'history': {
      const e = item.entry;
      const state = [HISTORY_STATE[e.state], e.isHead ? 'head' : ''].filter(Boolean).join(' · ');
      const right = state ? `  ${state}` : '';
      const left = `  ${fit(shortRevision(e.revision), 12)}  `;
      const message = truncate(e.message, Math.max(8, width - 2 - textWidth(left) - textWidth(right)));
      return { text: `${left}${message}${right}`, color: e.state === 'current' ? 'cyan' : e.state === 'pending' ? 'yellow' : undefined, dim: e.state === 'other' };
    }
    case 'empty':
      return { text: '  (none)', dim: true };
    case 'upgrade': {
      const line = `[ Upgrade: ${plural(item.steps, 'revision')} on ${plural(item.binds, 'bind')} ]`;
      // Asked by enter on it: `y` runs, any other key drops the question.
      return confirming ? { text: truncate(`${line}  Run it? y / n`, width - 2), bold: true, color: 'yellow' } : { text: line, bold: true, color: 'green' };
    }
  }
}

/**
 * The review screen: the pending revisions of the selected binds in the order they will run
 * (per bind, with depends-on on other binds), or each bind's history with its current revision
 * marked (`h`). Enter shows a revision; `u` starts the run; enter on the Upgrade line asks
 * `Run it? y / n` on that line first (`y` starts it, any other key does not).
 * When a line per bind does not fit the height (thousands of tenants), binds with the same plan
 * share a line that counts them, the title counts the binds (per branch, given `branches`), and the
 * Upgrade line stays on the last line of the list as the rest scrolls.
 *
 * @example
 * ```tsx
 * <ReviewScreen model={await backend.review(['default', 'db2'])} width={80} height={23} isActive
 *   onOpen={(bind, rev) => console.log(bind, rev)} onUpgrade={() => undefined} onBack={() => undefined} />
 * ```
 */
export function ReviewScreen({ model, branches, inFlight, width, height, isActive, notice, onOpen, onUpgrade, onBack }: ReviewScreenProps) {
  const [state, dispatch, getState] = useReviewState();
  const names = useMemo(() => model.binds.filter((b) => b.selected).map((b) => b.bind), [model]);
  // A downgrade in flight blocks its bind's upgrade: said under the intro, in as many lines as it takes.
  const flight = useMemo(() => downgradesInFlight(model.binds.map((b) => b.bind), inFlight), [model, inFlight]);
  const flightLines = useMemo(() => {
    if (flight === undefined) return [];
    const text = model.totalSteps ? `${flight[0]!.toUpperCase()}${flight.slice(1)}` : `Nothing to upgrade, but ${flight}`;
    return wrap(text, width);
  }, [flight, model, width]);
  // Lines above the list: the intro (which the lines in flight replace when nothing is pending) and a blank one.
  const above = 2 + (state.mode === 'plan' && flightLines.length ? flightLines.length - (model.totalSteps ? 0 : 1) : 0);
  const visible = Math.max(1, bodyHeight(height) - above);
  // A mode's lines, computed once per model and height (2,000 binds take a pass to group).
  const itemsOf = useMemo(() => {
    const cache = new Map<ReviewMode, readonly ReviewItem[]>();
    return (mode: ReviewMode) => cache.get(mode) ?? cache.set(mode, reviewItems(model, mode, visible)).get(mode)!;
  }, [model, visible]);
  useReview({ isActive, model, items: itemsOf, getState, dispatch, onOpen, onUpgrade, onBack });
  const items = itemsOf(state.mode);
  const focusable = items.filter(isFocusable);
  const focused = focusable[Math.min(state.cursor[state.mode], focusable.length - 1)];
  // More lines than fit: the Upgrade line stays at the bottom, the others scroll above it.
  const pinned = items.length > visible && items.at(-1)?.kind === 'upgrade' ? items.at(-1) : undefined;
  const list = pinned ? items.slice(0, -1) : items;
  const rows = pinned ? Math.max(0, visible - 1) : visible;
  const focusedIndex = focused === pinned ? list.length - 1 : focused ? list.indexOf(focused) : 0;
  const start = windowStart(focusedIndex, list.length, rows);
  const shown = [...list.slice(start, start + rows), ...(pinned ? [pinned] : [])];
  const title = useMemo(() => truncate(reviewTitle(names, width - 12, branches), width - 12), [names, width, branches]);
  const grouped = items.some((i) => i.kind === 'group');
  const intro =
    state.mode === 'plan'
      ? model.totalSteps
        ? grouped
          ? 'Pending revisions in run order; binds with the same plan share a line.'
          : 'Pending revisions in run order per bind; independent binds run in parallel.'
        : 'Nothing to upgrade: the selected binds are at their heads.'
      : grouped
        ? 'History, newest first; binds with the same history share a line.'
        : 'History per bind, newest first.';
  return (
    <Frame
      title={title}
      footer={
        state.confirming
          ? 'y run the upgrade · any other key: not now'
          : state.mode === 'plan'
            ? 'enter show revision · u upgrade · h history · q back'
            : 'enter show revision · h pending revisions · q back'
      }
      notice={notice}
      width={width}
      height={height}
    >
      {state.mode === 'plan' && flightLines.length && !model.totalSteps ? null : (
        <Text dimColor wrap="truncate-end">
          {intro}
        </Text>
      )}
      {state.mode === 'plan'
        ? flightLines.map((line, i) => (
            <Text key={`flight${i}`} color="yellow" wrap="truncate-end">
              {line}
            </Text>
          ))
        : null}
      <Text> </Text>
      {shown.map((item, i) => {
        const t = itemText(item, width, inFlight, state.confirming);
        const isFocused = item === focused;
        return (
          <Text key={item === pinned ? 'upgrade' : start + i} wrap="truncate-end">
            <Text color="cyan">{isFocused ? '› ' : '  '}</Text>
            <Text bold={(t.bold ?? false) || isFocused} dimColor={t.dim ?? false} color={t.color}>
              {t.text}
            </Text>
          </Text>
        );
      })}
    </Frame>
  );
}
