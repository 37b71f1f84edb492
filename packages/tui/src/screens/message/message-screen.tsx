import { Text } from 'ink';
import { wrap } from '../../shared/format.js';
import { Frame } from '../../shared/frame.js';
import { useMessage } from './use-message.js';

/** Props of {@link MessageScreen}. */
export interface MessageScreenProps {
  readonly title: string;
  readonly message: string;
  /** `error` shows the message in red. */
  readonly tone?: 'info' | 'error';
  readonly width: number;
  readonly height: number;
  readonly isActive: boolean;
  readonly onBack: () => void;
}

/** A screen with one message: "loading…" while a screen's data loads, or why it failed. */
export function MessageScreen({ title, message, tone = 'info', width, height, isActive, onBack }: MessageScreenProps) {
  useMessage({ isActive, isError: tone === 'error', onBack });
  return (
    <Frame title={title} footer="q back" width={width} height={height}>
      {wrap(message, width).map((line, i) => (
        <Text key={i} {...(tone === 'error' ? { color: 'red' } : { dimColor: true })}>
          {line || ' '}
        </Text>
      ))}
    </Frame>
  );
}
