import { Text } from 'ink';
import { wrap } from '../../shared/format.js';
import { Frame } from '../../shared/frame.js';
import { useMessage } from './use-message.js';

/** Props of {@link MessageScreen}. */
export interface MessageScreenProps {
  /** The first line's title. */
  readonly title: string;
  /** The message, wrapped to the width. */
  readonly message: string;
  /** `error` shows the message in red. */
  readonly tone?: 'info' | 'error';
  /** What to do about it, shown dim below the message (e.g. which bind to unselect); default none. */
  readonly hint?: string;
  /** Columns available, in terminal cells. */
  readonly width: number;
  /** Lines available: the screen is exactly this tall. */
  readonly height: number;
  /** Whether this screen takes the keys. */
  readonly isActive: boolean;
  /** `q` or Esc (and enter on an error): back. */
  readonly onBack: () => void;
}

/**
 * A screen with one message: "loading…" while a screen's data loads, or why it failed
 * (`tone: 'error'`).
 * @example
 * ```ts
 * import { createElement } from 'react';
 * const loading = createElement(MessageScreen, { title: 'db2', message: 'loading…', width: 80, height: 23, isActive: true, onBack: () => undefined });
 * ```
 */
export function MessageScreen({ title, message, tone = 'info', hint, width, height, isActive, onBack }: MessageScreenProps) {
  useMessage({ isActive, isError: tone === 'error', onBack });
  return (
    <Frame title={title} footer="q back" width={width} height={height}>
      {wrap(message, width).map((line, i) => (
        <Text key={i} {...(tone === 'error' ? { color: 'red' } : { dimColor: true })}>
          {line || ' '}
        </Text>
      ))}
      {hint !== undefined && <Text> </Text>}
      {hint !== undefined &&
        wrap(hint, width).map((line, i) => (
          <Text key={`hint${i}`} dimColor>
            {line || ' '}
          </Text>
        ))}
    </Frame>
  );
}
