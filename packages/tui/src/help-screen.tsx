import { Text } from 'ink';
import { useScreenInput } from './use-screen-input.js';
import { wrap } from './format.js';
import { Frame } from './frame.js';
import { SCREEN_KEYS, type ScreenName } from './keys.js';

/** Props of {@link HelpScreen}. */
export interface HelpScreenProps {
  /** Whose keys to show. */
  readonly screen: ScreenName;
  readonly width: number;
  readonly height: number;
  readonly isActive: boolean;
  /** Any key. */
  readonly onClose: () => void;
}

const GLOBAL_KEYS = [
  ['?', 'show or hide these keys'],
  ['ctrl+c', 'quit (abandons a run in progress)'],
] as const;

/** The `?` help: the keys of the screen underneath, and the keys that work everywhere. */
export function HelpScreen({ screen, width, height, isActive, onClose }: HelpScreenProps) {
  useScreenInput((input) => {
    if (input !== '?') onClose(); // '?' toggles the help in the app
  }, { isActive });
  const rows = [...SCREEN_KEYS[screen], ...GLOBAL_KEYS];
  const keyWidth = Math.max(...rows.map(([k]) => k.length)) + 4;
  return (
    <Frame title={`Keys · ${screen}`} right="" footer="any key closes" width={width} height={height}>
      {rows.map(([k, what]) => (
        <Text key={k} wrap="truncate-end">
          <Text bold>{`  ${k}`.padEnd(keyWidth)}</Text>
          {what}
        </Text>
      ))}
      <Text> </Text>
      {wrap('Outside the TUI: migrate current, migrate history -i, migrate upgrade [targets], migrate downgrade TARGET.', width).map((line) => (
        <Text key={line} dimColor>
          {line}
        </Text>
      ))}
    </Frame>
  );
}
