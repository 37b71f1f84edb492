import { Text } from 'ink';
import { fit, textWidth, truncate, wrap } from '../../shared/format.js';
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
 * The `?` help: the keys of the screen underneath, and the keys that work everywhere. Any key but
 * `?` closes it.
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
        <Text key={k} wrap="truncate-end">
          <Text bold>{fit(`  ${k}`, keyWidth)}</Text>
          {truncate(what, width - keyWidth)}
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
