import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

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
  readonly width: number;
  /** Lines of the whole frame; the body gets `height - 3`. */
  readonly height: number;
  readonly children: ReactNode;
}

/** Lines the body of a {@link Frame} of `height` lines gets. */
export function bodyHeight(height: number): number {
  return Math.max(1, height - 3);
}

/**
 * The layout every screen shares: a title line, the body, a notice line and a footer of keys,
 * exactly `height` lines tall and `width` columns wide.
 */
export function Frame({ title, right = '? keys', footer, notice, width, height, children }: FrameProps) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box width={width}>
        <Box flexGrow={1} flexShrink={1}>
          <Text bold wrap="truncate-end">
            {title}
          </Text>
        </Box>
        <Box flexShrink={0} marginLeft={1}>
          <Text dimColor>{right}</Text>
        </Box>
      </Box>
      <Box flexDirection="column" height={bodyHeight(height)} overflow="hidden">
        {children}
      </Box>
      <Text color="yellow" wrap="truncate-end">
        {notice ?? ' '}
      </Text>
      <Text dimColor wrap="truncate-end">
        {footer}
      </Text>
    </Box>
  );
}
