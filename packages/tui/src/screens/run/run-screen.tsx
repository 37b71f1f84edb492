import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { fit, formatDuration, formatRevisions, shortRevision, textWidth, truncate, wrap } from '../../shared/format.js';
import { Frame } from '../../shared/frame.js';
import { describeRun } from './run-summary.js';
import type { RunSession } from '../../backend/tui-backend.js';
import { useRun } from './use-run.js';
import { useRunState, type BindProgress, type RunState } from './use-run-state.js';

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
  /** Back to the binds (once finished). */
  readonly onBack: () => void;
  /** Called once when every part has ended, with the final state. */
  readonly onFinished?: (state: RunState) => void;
  /** Milliseconds now (default `Date.now`; tests pass a fixed clock). */
  readonly clock?: () => number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Line {
  readonly text: string;
  readonly color?: string;
  readonly dim?: boolean;
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
  const more = (text: string, limit: number, color?: string): Line[] =>
    wrap(text, width - indentWidth)
      .slice(0, limit)
      .map((t) => ({ text: indent + t, ...(color ? { color } : { dim: true }) }));
  switch (b.phase) {
    case 'starting':
      return [head('·', 'connecting, taking the migration lock', 'gray')];
    case 'waiting-lock':
      return [head('…', `waiting for the migration lock (${formatDuration(state.now - (b.waitingSince ?? state.now))}): another run holds it`, 'yellow')];
    case 'ready':
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
    case 'failed': {
      const e = b.error;
      const lines: Line[] = [head('✘', b.revision ? `failed at ${step}` : 'failed', 'red')];
      if (e) {
        lines.push(...more(e.reason, 3, 'red'));
        if (e.statement) lines.push(...more(`statement: ${e.statement}`, 3));
        if (e.name === 'MigrationError') {
          lines.push(
            ...more(
              e.partial
                ? `part of this revision may have been applied (no transactional DDL); the version table is at ${formatRevisions(b.heads ?? [])}`
                : `rolled back; ${b.bind} stays at ${formatRevisions(b.heads ?? [])}`,
              2,
            ),
          );
        }
      }
      return lines;
    }
  }
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
export function RunScreen({ session, width, height, isActive, notice, onBack, onFinished, clock }: RunScreenProps) {
  const state = useRunState(session, clock);
  const finished = state.finishedAt !== undefined;
  const [busy, setBusy] = useState(false);
  useRun({ isActive, finished, onBack, onBusy: () => setBusy(true) });
  useEffect(() => {
    if (finished) onFinished?.(state);
    // Once, when the run finishes.
  }, [finished]);
  const nameWidth = Math.min(16, Math.max(4, ...state.binds.map((b) => textWidth(b.bind))));
  const verb = state.direction === 'up' ? 'Upgrade' : 'Downgrade';
  const body = state.binds.flatMap((b) => progressLines(b, state, nameWidth, width));
  const output = state.output.slice(-3);
  const parallel = session.groups.length > 1 ? ` · ${session.groups.length} independent parts in parallel` : '';
  return (
    <Frame
      title={`${verb} · ${finished ? 'finished' : `running ${formatDuration(state.now - state.startedAt)}`}${parallel}`}
      footer={finished ? 'enter · q  back to the binds' : 'running · ctrl+c abandons the run (open transactions roll back)'}
      notice={busy && !finished ? 'The run is in progress: wait for it to finish (ctrl+c abandons it).' : notice}
      width={width}
      height={height}
    >
      {body.map((line, i) => (
        <Text key={i} wrap="truncate-end" {...(line.color ? { color: line.color } : {})} dimColor={line.dim ?? false}>
          {line.text}
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
      {finished ? (
        <Box marginTop={1}>
          <Text bold>{describeRun(state)}</Text>
        </Box>
      ) : null}
    </Frame>
  );
}
