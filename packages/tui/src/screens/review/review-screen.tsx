import { Text } from 'ink';
import { fit, formatRevisions, shortRevision, textWidth, truncate } from '../../shared/format.js';
import { bodyHeight, Frame } from '../../shared/frame.js';
import type { CrossBindDependency, HistoryEntry, ReviewModel } from '../../backend/tui-backend.js';
import { useReview } from './use-review.js';
import { isFocusable, reviewItems, useReviewState, type ReviewItem } from './use-review-state.js';
import { windowStart } from '../../shared/use-list-state.js';

/** Props of {@link ReviewScreen}. */
export interface ReviewScreenProps {
  /** The planned upgrade ({@link TuiBackend.review}). */
  readonly model: ReviewModel;
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
  /** `u`, or enter on the Upgrade line: run the upgrade. */
  readonly onUpgrade: () => void;
  /** `q` or Esc: back to the binds. */
  readonly onBack: () => void;
}

function dependency(d: CrossBindDependency): string {
  const where = d.binds.length ? d.binds.join(',') : d.branch;
  return `${where}:${shortRevision(d.revision)}${d.inPlan ? ' first' : ' (applied)'}`;
}

const HISTORY_STATE: Record<HistoryEntry['state'], string> = { current: '◀ current', applied: 'applied', pending: 'pending', other: '' };

function itemText(item: ReviewItem, width: number): { text: string; bold?: boolean; dim?: boolean; color?: string } {
  switch (item.kind) {
    case 'bind': {
      const b = item.bind;
      const todo = b.steps.length ? `${b.steps.length} to run` : 'nothing to run';
      const why = b.selected ? '' : ' · pulled in: a selected bind depends on it';
      return { text: truncate(`${b.bind}  at ${formatRevisions(b.current)} · ${todo}${why}`, width - 2), bold: true };
    }
    case 'step': {
      const s = item.step;
      const deps = s.dependsOn.length ? ` · after ${s.dependsOn.map(dependency).join(', ')}` : '';
      return { text: truncate(`${fit(`${s.index}/${s.total}`, 5, 'right')}  ${fit(shortRevision(s.revision), 12)}  ${s.message}${deps}`, width - 2) };
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
    case 'upgrade':
      return { text: `[ Upgrade: ${item.steps} revision${item.steps === 1 ? '' : 's'} on ${item.binds} bind${item.binds === 1 ? '' : 's'} ]`, bold: true, color: 'green' };
  }
}

/**
 * The review screen: the pending revisions of the selected binds in the order they will run
 * (per bind, with depends-on on other binds), or each bind's history with its current revision
 * marked (`h`). Enter shows a revision; `u` (or enter on the Upgrade line) starts the run.
 *
 * @example
 * ```tsx
 * <ReviewScreen model={await backend.review(['default', 'db2'])} width={80} height={23} isActive
 *   onOpen={(bind, rev) => show(bind, rev)} onUpgrade={run} onBack={back} />
 * ```
 */
export function ReviewScreen({ model, width, height, isActive, notice, onOpen, onUpgrade, onBack }: ReviewScreenProps) {
  const [state, dispatch, getState] = useReviewState();
  useReview({ isActive, model, getState, dispatch, onOpen, onUpgrade, onBack });
  const items = reviewItems(model, state.mode);
  const focusable = items.filter(isFocusable);
  const focused = focusable[Math.min(state.cursor[state.mode], focusable.length - 1)];
  const focusedIndex = focused ? items.indexOf(focused) : 0;
  const visible = Math.max(1, bodyHeight(height) - 2);
  const start = windowStart(focusedIndex, items.length, visible);
  const names = model.binds.filter((b) => b.selected).map((b) => b.bind);
  const intro =
    state.mode === 'plan'
      ? model.totalSteps
        ? 'Pending revisions in run order per bind; independent binds run in parallel.'
        : 'Nothing to upgrade: the selected binds are at their heads.'
      : 'History per bind, newest first.';
  return (
    <Frame
      title={truncate(`Review · upgrade ${names.join(', ')}`, width - 12)}
      footer={state.mode === 'plan' ? 'enter show revision · u upgrade · h history · q back' : 'enter show revision · h pending revisions · q back'}
      notice={notice}
      width={width}
      height={height}
    >
      <Text dimColor>{intro}</Text>
      <Text> </Text>
      {items.slice(start, start + visible).map((item, i) => {
        const t = itemText(item, width);
        const isFocused = item === focused;
        return (
          <Text key={start + i} wrap="truncate-end">
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
