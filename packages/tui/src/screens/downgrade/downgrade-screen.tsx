import { Text } from 'ink';
import { useEffect } from 'react';
import { fit, formatRevisions, textWidth, truncate } from '../../shared/format.js';
import { bodyHeight, Frame } from '../../shared/frame.js';
import type { DowngradeChoice } from '../../backend/tui-backend.js';
import { useDowngrade } from './use-downgrade.js';
import { useListState, windowStart } from '../../shared/use-list-state.js';

/** Props of {@link DowngradeScreen}. */
export interface DowngradeScreenProps {
  /** The bind to downgrade. */
  readonly bind: string;
  /** The bind's current revisions. */
  readonly current: readonly string[];
  /** Where it can go ({@link TuiBackend.downgradeChoices}). */
  readonly choices: readonly DowngradeChoice[];
  /** Columns available, in terminal cells. */
  readonly width: number;
  /** Lines available: the screen is exactly this tall. */
  readonly height: number;
  /** Whether this screen takes the keys (false under the help or another screen). */
  readonly isActive: boolean;
  /** A passing message shown above the footer. */
  readonly notice?: string | undefined;
  /** Enter: the focused choice (a confirmation follows). */
  readonly onChoose: (choice: DowngradeChoice) => void;
  /** `q` or Esc: back to the binds. */
  readonly onBack: () => void;
}

/**
 * The downgrade screen: what to take a bind down to (one step back, an applied revision, or
 * base). Choosing leads to a confirmation that names every revision that will run.
 *
 * @example
 * ```tsx
 * <DowngradeScreen bind="db2" current={['fd2415b8acac']} choices={await backend.downgradeChoices('db2')}
 *   width={80} height={23} isActive onChoose={(c) => confirm(c.target)} onBack={back} />
 * ```
 */
export function DowngradeScreen({ bind, current, choices, width, height, isActive, notice, onChoose, onBack }: DowngradeScreenProps) {
  const [state, dispatch, getState] = useListState(choices.length);
  useEffect(() => dispatch({ type: 'count', count: choices.length }), [choices.length, dispatch]);
  useDowngrade({ isActive, getState, dispatch, onChoose: (i) => onChoose(choices[i]!), onBack });
  const visible = Math.max(1, bodyHeight(height) - 2);
  const start = windowStart(state.cursor, choices.length, visible);
  const targetWidth = Math.min(Math.floor(width / 2), Math.max(...choices.map((c) => textWidth(c.target)), 6) + 2);
  return (
    <Frame title={`Downgrade ${bind} · now at ${formatRevisions(current)}`} footer="enter choose (a confirmation follows) · q back" notice={notice} width={width} height={height}>
      <Text dimColor>{truncate(choices.length ? 'Take it down to:' : `${bind} is at base: nothing to downgrade.`, width)}</Text>
      <Text> </Text>
      {choices.slice(start, start + visible).map((c, i) => {
        const isFocused = start + i === state.cursor;
        return (
          <Text key={`${c.target}:${c.label}`} wrap="truncate-end">
            <Text color="cyan">{isFocused ? '› ' : '  '}</Text>
            <Text bold={isFocused}>{fit(c.label, width - targetWidth - 4)}</Text>
            <Text dimColor>{`  ${truncate(c.target, targetWidth - 2)}`}</Text>
          </Text>
        );
      })}
    </Frame>
  );
}
