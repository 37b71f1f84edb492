import { Box, Text } from 'ink';
import { fit, textWidth, wrap } from '../../shared/format.js';
import { Frame } from '../../shared/frame.js';
import { SCREEN_KEYS, type ScreenName } from '../../shared/keys.js';
import { useHelp } from './use-help.js';

/** Props of {@link HelpScreen}. */
export interface HelpScreenProps {
  /** Whose keys to show. */
  readonly screen: ScreenName;
  /** Columns available, in terminal cells. */
  readonly width: number;
  /** Lines available: the screen is exactly this tall. */
  readonly height: number;
  /** Whether the help takes the keys. */
  readonly isActive: boolean;
  /** Any key. */
  readonly onClose: () => void;
}

const GLOBAL_KEYS = [
  ['?', 'show or hide these keys'],
  ['ctrl+c', 'quit (stops a run in progress after its revisions; again: abandons it)'],
] as const;

/**
 * The `?` help: the keys of the screen underneath, and the keys that work everywhere. A key's
 * explanation that does not fit beside it goes on under it, indented to the explanations (never
 * cut: ctrl+c's says what it does to a run at 80 columns too). Any key but `?` closes it.
 * @example
 * ```ts
 * import { createElement } from 'react';
 * const help = createElement(HelpScreen, { screen: 'binds', width: 80, height: 23, isActive: true, onClose: () => undefined });
 * ```
 */
export function HelpScreen({ screen, width, height, isActive, onClose }: HelpScreenProps) {
  useHelp({ isActive, onClose });
  // A key the screen explains itself (the run's ctrl+c) is not repeated among the global ones.
  const own: readonly (readonly [string, string])[] = SCREEN_KEYS[screen];
  const rows = [...own, ...GLOBAL_KEYS.filter(([k]) => !own.some(([o]) => o === k))];
  const keyWidth = Math.max(...rows.map(([k]) => textWidth(k))) + 4;
  return (
    <Frame title={`Keys · ${screen}`} right="" footer="any key closes" width={width} height={height}>
      {rows.map(([k, what]) => (
        <Box key={k} flexDirection="column">
          {wrap(what, width - keyWidth).map((line, i) => (
            <Text key={i}>
              <Text bold>{fit(i === 0 ? `  ${k}` : '', keyWidth)}</Text>
              {line}
            </Text>
          ))}
        </Box>
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
