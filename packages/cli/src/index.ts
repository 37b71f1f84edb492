/**
 * `@multidb/cli`: the `migrate` command. `main(argv)` runs it in-process (for embedding and
 * tests); the `migrate` binary calls it.
 */
export { main, formatError, formatRunError, type MainOptions } from './main.js';
export { ExitCode } from './exit-codes.js';
export { renderEvents } from './render-events.js';
export { MaskingOutput, processOutput, type Output } from './output.js';
