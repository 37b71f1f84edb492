import { Text } from 'ink';
import { useCallback, useMemo } from 'react';
import { shortRevision, truncate } from '../../shared/format.js';
import { bodyHeight, Frame } from '../../shared/frame.js';
import { previewLines, type PreviewLine } from './preview-lines.js';
import type { RevisionInFlight } from '@multidb/core';
import type { RevisionPreview } from '../../backend/tui-backend.js';
import { useRevision } from './use-revision.js';
import { useScrollState } from '../../shared/use-scroll-state.js';
import { useLatestReducer } from '../../shared/use-latest-reducer.js';

/** A reducer whose action is the next state. */
const setTo = <T,>(_: T, next: T): T => next;

/** Props of {@link RevisionScreen}. */
export interface RevisionScreenProps {
  /** The revision and its compiled SQL ({@link TuiBackend.preview}). */
  readonly preview: RevisionPreview;
  /** Folder file paths are shown relative to. */
  readonly cwd: string;
  /**
   * The bind's revision stopped part way (MySQL/MariaDB; the binds row's `inFlight`): when it is
   * this revision, the heading says how far it got (the statements are marked as the preview's
   * `progress` says).
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
  /** `q` or Esc: back. */
  readonly onBack: () => void;
}

const STYLE: Record<PreviewLine['style'], { bold?: boolean; dimColor?: boolean; color?: string }> = {
  heading: { bold: true },
  text: {},
  sql: { color: 'cyan' },
  dim: { dimColor: true },
  note: { color: 'yellow' },
  code: {},
};

/**
 * The revision viewer: message, file, the SQL the revision will run (compiled through the
 * bind's dialect, nothing executed) and its source, scrolled with arrows, j/k, space and g/G.
 * Schema statements are shown whole, long data statements cut to 8 lines; `a` shows every
 * statement whole, and again cuts them (the scroll offset is kept, within the new text's length).
 *
 * @example
 * ```tsx
 * <RevisionScreen preview={await backend.preview('db2', 'fd2415b8acac', 'up')} cwd={process.cwd()}
 *   width={80} height={23} isActive onBack={back} />
 * ```
 */
export function RevisionScreen({ preview, cwd, inFlight, width, height, isActive, notice, onBack }: RevisionScreenProps) {
  // Read through `getFull` by the key handler: a key in the same chunk as `a` (`aG`) sees the new value.
  const [full, setFull, getFull] = useLatestReducer(setTo<boolean>, false);
  const linesOf = useCallback((whole: boolean) => previewLines(preview, width, cwd, inFlight, { full: whole }), [preview, width, cwd, inFlight]);
  const text = useMemo(() => linesOf(full), [linesOf, full]);
  const viewport = bodyHeight(height);
  const [state, dispatch] = useScrollState(text.length, viewport);
  // The scroll state follows the new text in the same handler call, not at the next render: a `G`
  // right after `a` goes to the bottom of the text `a` brings.
  const onToggleFull = () => {
    const whole = !getFull();
    setFull(whole);
    dispatch({ type: 'resize', total: linesOf(whole).length, viewport });
  };
  useRevision({ isActive, dispatch, onToggleFull, onBack });
  const shown = text.slice(state.offset, state.offset + viewport);
  const last = Math.min(text.length, state.offset + viewport);
  const verb = preview.direction === 'up' ? 'upgrade' : 'downgrade';
  return (
    <Frame
      title={truncate(`${preview.bind} · ${shortRevision(preview.revision, 32)} · ${verb}`, width - 24)}
      right={`lines ${state.offset + 1}-${last} of ${text.length} · ? keys`}
      footer={`↑↓ scroll · space page · g/G top/bottom · a ${full ? 'cut long data SQL' : 'all SQL whole'} · q back`}
      notice={notice}
      width={width}
      height={height}
    >
      {shown.map((line, i) => (
        <Text key={state.offset + i} wrap="truncate-end" {...STYLE[line.style]}>
          {line.text === '' ? ' ' : line.text}
        </Text>
      ))}
    </Frame>
  );
}
