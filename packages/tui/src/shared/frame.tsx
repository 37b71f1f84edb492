import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { textWidth, truncate } from './format.js';

/** Props of {@link Frame}. */
export interface FrameProps {
  /** Left of the first line (bold). */
  readonly title: string;
  /** Right of the first line (dim), e.g. `? keys`. */
  readonly right?: string;
  /** The last line: the screen's main keys (dim). */
  readonly footer: string;
  /** A line above the footer for a passing message; empty when undefined. */
  readonly notice?: string | undefined;
  /** Columns of the whole frame, in terminal cells. */
  readonly width: number;
  /** Lines of the whole frame; the body gets `height - 3`. */
  readonly height: number;
  /** The body: the screen's own lines, cut to `bodyHeight(height)` lines. */
  readonly children: ReactNode;
}

/**
 * Lines the body of a {@link Frame} of `height` lines gets: the title, notice and footer take 3 (at
 * least 1 is left).
 * @example
 * ```ts
 * bodyHeight(24); // 21
 * ```
 */
export function bodyHeight(height: number): number {
  return Math.max(1, height - 3);
}

/**
 * The layout every screen shares: a title line, the body, a notice line and a footer of keys,
 * exactly `height` lines tall and `width` columns wide. The title, `right`, the notice and the
 * footer are cut to fit (in terminal cells, wide characters counting two) with `…`.
 *
 * @example
 * ```tsx
 * <Frame title="multidb · migrate.config.ts" right="0 of 2 selected · ? keys" footer="q quit" width={80} height={23}>
 *   <Text>body</Text>
 * </Frame>
 * ```
 */
export function Frame({ title, right = '? keys', footer, notice, width, height, children }: FrameProps) {
  const shownRight = truncate(right, width);
  const titleWidth = Math.max(0, width - textWidth(shownRight) - (shownRight ? 1 : 0));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box width={width}>
        <Box flexGrow={1} flexShrink={1}>
          <Text bold wrap="truncate-end">
            {truncate(title, titleWidth)}
          </Text>
        </Box>
        {shownRight ? (
          <Box flexShrink={0} marginLeft={1}>
            <Text dimColor>{shownRight}</Text>
          </Box>
        ) : null}
      </Box>
      <Box flexDirection="column" height={bodyHeight(height)} overflow="hidden">
        {children}
      </Box>
      <Text color="yellow" wrap="truncate-end">
        {notice ? truncate(notice, width) : ' '}
      </Text>
      <Text dimColor wrap="truncate-end">
        {truncate(footer, width)}
      </Text>
    </Box>
  );
}
