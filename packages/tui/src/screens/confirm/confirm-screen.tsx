import { Text } from 'ink';
import { useEffect } from 'react';
import { fit, shortRevision, textWidth, truncate, wrap } from '../../shared/format.js';
import { bodyHeight, Frame } from '../../shared/frame.js';
import type { RevisionInFlight } from '@multidb/core';
import type { DowngradePlan } from '../../backend/tui-backend.js';
import { useConfirm } from './use-confirm.js';
import { useListState, windowStart } from '../../shared/use-list-state.js';

/** Props of {@link ConfirmScreen}. */
export interface ConfirmScreenProps {
  /** The downgrade to confirm ({@link TuiBackend.planDowngrade}). */
  readonly plan: DowngradePlan;
  /**
   * The bind's revision stopped part way (MySQL/MariaDB; the binds row's `inFlight`): when it is a
   * downgrade of a revision the plan runs, the screen says that the downgrade resumes it after the
   * writes it completed rather than running it whole.
   */
  readonly inFlight?: RevisionInFlight | undefined;
  /** Columns available, in terminal cells. */
  readonly width: number;
  /** Lines available: the screen is exactly this tall. */
  readonly height: number;
  /** Whether this screen takes the keys (false under the help). */
  readonly isActive: boolean;
  /** A passing message shown above the footer. */
  readonly notice?: string | undefined;
  /** `y`: run the downgrade. */
  readonly onConfirm: () => void;
  /** Enter on a step: show its downgrade SQL. */
  readonly onOpen: (bind: string, revision: string) => void;
  /** `n`, `q` or Esc: back without running. */
  readonly onCancel: () => void;
}

/**
 * The confirmation of a downgrade: names every revision whose downgrade will run, in order,
 * and runs only on `y`. A downgrade in flight that it runs (MySQL/MariaDB, `inFlight`) is marked,
 * and a line says it resumes after the writes it completed.
 *
 * @example
 * ```tsx
 * <ConfirmScreen plan={await backend.planDowngrade('db2', 'db2@-1')} width={80} height={23} isActive
 *   onConfirm={run} onOpen={show} onCancel={back} />
 * ```
 */
export function ConfirmScreen({ plan, inFlight, width, height, isActive, notice, onConfirm, onOpen, onCancel }: ConfirmScreenProps) {
  const [state, dispatch, getState] = useListState(plan.steps.length);
  useEffect(() => dispatch({ type: 'count', count: plan.steps.length }), [plan.steps.length, dispatch]);
  const nothing = plan.steps.length === 0;
  useConfirm({
    isActive,
    getState,
    dispatch,
    onConfirm: () => (nothing ? onCancel() : onConfirm()),
    onOpen: (i) => onOpen(plan.steps[i]!.bind, plan.steps[i]!.revision),
    onCancel,
  });
  // A downgrade stopped part way that this one runs: it resumes after the writes it completed.
  const resumed = inFlight?.direction === 'down' ? plan.steps.find((s) => s.bind === plan.bind && s.revision === inFlight.revision) : undefined;
  const resumeLines = resumed
    ? wrap(
        `The downgrade of ${resumed.revision} on ${resumed.bind} is in flight (stopped after ${inFlight!.writes} write(s), last: ${inFlight!.last}): it resumes after the writes it completed rather than running whole.`,
        width,
      )
    : [];
  const visible = Math.max(1, bodyHeight(height) - 4 - (resumeLines.length ? resumeLines.length + 1 : 0));
  const start = windowStart(state.cursor, plan.steps.length, visible);
  const binds = [...new Set(plan.steps.map((s) => s.bind))];
  // Up to two fifths of the width (18 cells at least), so a long bind name is cut only where it must be.
  const nameWidth = Math.min(Math.max(18, Math.floor((width * 2) / 5)), Math.max(4, ...binds.map(textWidth)) + 2);
  const count = `${plan.steps.length} downgrade${plan.steps.length === 1 ? '' : 's'}`;
  return (
    <Frame title={`Confirm: downgrade ${plan.target}`} footer="y run it · n cancel · enter show a revision's downgrade SQL" notice={notice} width={width} height={height}>
      <Text wrap="truncate-end">
        {truncate(nothing ? 'Nothing to downgrade: the bind is already there.' : `This runs ${count} on ${binds.join(', ')}, in this order:`, width)}
      </Text>
      <Text> </Text>
      {plan.steps.slice(start, start + visible).map((s, i) => {
        const isFocused = start + i === state.cursor;
        return (
          <Text key={`${s.bind}:${s.revision}`} wrap="truncate-end">
            <Text color="cyan">{isFocused ? '› ' : '  '}</Text>
            <Text bold={isFocused}>{`${fit(s.bind, nameWidth - 2)}  `}</Text>
            <Text {...(s === resumed ? { color: 'yellow' } : {})}>
              {`downgrade ${fit(shortRevision(s.revision), 13)} `}
              {truncate(s === resumed ? `${s.message} · in flight` : s.message, width - nameWidth - 30)}
            </Text>
          </Text>
        );
      })}
      {resumeLines.length ? <Text> </Text> : null}
      {resumeLines.map((line, i) => (
        <Text key={`resume${i}`} color="yellow" wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text> </Text>
      {nothing ? null : (
        <Text bold color="yellow">
          Run it? y / n
        </Text>
      )}
    </Frame>
  );
}
