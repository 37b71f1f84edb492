import { Text } from 'ink';
import { useScreenInput } from './use-screen-input.js';
import { wrap } from './format.js';
import { Frame } from './frame.js';
import { keys } from './keys.js';

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
  useScreenInput(
    (input, key) => {
      if (keys.back(input, key) || (tone === 'error' && key.return)) onBack();
    },
    { isActive },
  );
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
