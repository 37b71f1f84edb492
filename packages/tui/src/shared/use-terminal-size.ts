import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** A terminal's size in character cells. */
export interface TerminalSize {
  /** Width, in character cells. */
  readonly columns: number;
  /** Height, in lines. */
  readonly rows: number;
}

/**
 * The output terminal's size, following resizes; `fixed` (tests, embedding) wins. Defaults to 80x24
 * when the stream does not say.
 * @param fixed - a size to use instead of the terminal's.
 * @returns the size, updated on each resize.
 * @example
 * ```ts
 * const { columns, rows } = useTerminalSize();
 * ```
 */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return undefined;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // `read` closes over `stdout` and `fixed` only.
  }, [stdout, fixed]);
  return fixed ?? size;
}
