/**
 * `@multidb/cli`: the `migrate` command. `main(argv)` runs it in-process (for embedding and
 * tests); the `migrate` binary calls it.
 */
export { main, formatError, formatRunError, type MainOptions } from './main.js';
export { ExitCode, exitCodeOf } from './exit-codes.js';
export { UsageError } from './usage-error.js';
export { cliVersion } from './cli-version.js';
export { PER_BIND_LINES_MAX, renderEvents, type RenderEventsOptions } from './render-events.js';
export { MaskingOutput, processOutput, type Output } from './output.js';
export type {
  AutogenerateJson,
  BranchesJson,
  CheckJson,
  CodegenJson,
  CurrentBindJson,
  CurrentJson,
  ErrorDetailJson,
  ErrorJson,
  HeadsJson,
  HistoryJson,
  HistoryRevisionJson,
  LockHolderJson,
  LockHolderSessionJson,
  OfflineJson,
  RevisionJson,
  RevisionWrittenJson,
  RunJson,
  ShowJson,
  ShowRevisionJson,
  StampJson,
  StatusJson,
  StepJson,
} from './json-output.js';
