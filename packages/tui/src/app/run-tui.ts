import { oneLine } from '@multidb/core';
import { EnvironmentBackend } from '../backend/environment-backend.js';
import { importInkForTerminal } from './ink-loader.js';
import { applyNoColor } from './no-color.js';
import type { RunDriver } from '../run/run-driver.js';
import type { TuiBackend } from '../backend/tui-backend.js';

/** Options of {@link runTui}. */
export interface RunTuiOptions {
  /** Where the config search starts, and what paths are shown relative to (default `process.cwd()`). */
  readonly cwd?: string;
  /** An explicit config path (`--config`). */
  readonly config?: string;
  /** How the user can name a config, ending the error when none is found (the CLI: `'pass --config PATH'`; default: core's wording for code). */
  readonly configHint?: string;
  /** Input stream (default `process.stdin`); must be a TTY. */
  readonly stdin?: NodeJS.ReadStream;
  /** Output stream (default `process.stdout`); must be a TTY. Run summaries are printed here at the end. */
  readonly stdout?: NodeJS.WriteStream;
  /** Where refusals and errors go (default `process.stderr`). */
  readonly stderr?: NodeJS.WriteStream;
  /** Environment read for `NO_COLOR` (default `process.env`, which gets `FORCE_COLOR=0` when it is set). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Specifiers the config and revisions resolve to the caller's copies (DESIGN §4), over the
   * dialects' alias for the project (`kysely`: the dialects' bundled copy, or the project's own
   * when it has another version installed); the CLI passes the alias of its own module loader.
   * Default: `@multidb/core` as this package resolves it.
   */
  readonly moduleAlias?: Readonly<Record<string, string>>;
  /** Give up waiting for a migration lock after this many milliseconds (default: wait, showing it). */
  readonly lockTimeoutMs?: number;
  /**
   * Extra arguments for the revisions, read as `op.xArgs` (and by the config's hooks as
   * `ctx.xArgs`): Alembic's `-x`, `migrate tui -x tenant=acme`. Default `{}`.
   */
  readonly xArgs?: Readonly<Record<string, string>>;
  /** Where runs execute (default: worker threads). */
  readonly driver?: RunDriver;
  /** A ready backend (custom tooling, tests) instead of loading the project's config. */
  readonly backend?: TuiBackend;
  /** Draw on the terminal's alternate screen, restoring it on exit (default `true`). */
  readonly alternateScreen?: boolean;
}

/** What `runTui` prints, exiting 2, when stdin or stdout is not a terminal. */
export const NOT_A_TTY_MESSAGE =
  "migrate tui needs an interactive terminal (stdin and stdout must be a TTY).\n" +
  'Use the plain commands instead: migrate current, migrate history -i, migrate heads,\n' +
  'migrate upgrade [targets...], migrate downgrade <target>.\n';

const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';

/**
 * Opens the terminal UI (`migrate tui`): binds, review, revision SQL, runs and downgrades, over
 * core's public API. Resolves when the user quits.
 *
 * Refuses (exit code 2) when stdin or stdout is not a TTY, pointing to the plain commands.
 * Honours `NO_COLOR` (sets `FORCE_COLOR=0` before Ink loads). A config that does not load is
 * printed as one `ERROR:` line (exit code 1). Runs execute in worker threads, so the screen
 * keeps drawing while SQLite works; the lines summing up each run are printed to `stdout`
 * after the UI closes.
 *
 * @returns the exit code: 0; 1 when the config does not load or the last run had a failure;
 *   2 when not on a terminal; 130 when ctrl+c abandoned a run (a second ctrl+c during it), or
 *   stopped the last run after its revisions in progress (the first).
 * @example
 * ```ts
 * process.exitCode = await runTui({ cwd: process.cwd(), config: 'migrate.config.ts' });
 * ```
 */
export async function runTui(options: RunTuiOptions = {}): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const cwd = options.cwd ?? process.cwd();
  if (!stdin.isTTY || !stdout.isTTY) {
    stderr.write(NOT_A_TTY_MESSAGE);
    return 2;
  }
  // Colour is decided when chalk loads with Ink: before the first import of Ink below.
  applyNoColor(options.env ?? process.env);

  let backend: TuiBackend;
  try {
    backend =
      options.backend ??
      (await EnvironmentBackend.open({
        cwd,
        ...(options.config !== undefined ? { config: options.config } : {}),
        ...(options.configHint !== undefined ? { configHint: options.configHint } : {}),
        ...(options.moduleAlias !== undefined ? { moduleAlias: options.moduleAlias } : {}),
        ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
        ...(options.xArgs !== undefined ? { xArgs: options.xArgs } : {}),
        ...(options.driver !== undefined ? { driver: options.driver } : {}),
      }));
  } catch (error) {
    stderr.write(`ERROR: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }

  const { render } = await importInkForTerminal(); // before app.js, which imports Ink too
  const [{ createElement }, { App }] = await Promise.all([import('react'), import('./app.js')]);
  let code = 0;
  let summaries: readonly string[] = [];
  const alternate = options.alternateScreen ?? true;
  if (alternate) stdout.write(ENTER_ALTERNATE_SCREEN);
  try {
    const instance = render(
      createElement(App, {
        backend,
        cwd,
        onExit: (c: number, s: readonly string[]) => {
          code = c;
          summaries = s;
        },
      }),
      // Console output of this thread goes above the UI (test runners replace `console`: left alone).
      { stdin, stdout, stderr, exitOnCtrlC: false, patchConsole: typeof console.Console === 'function' },
    );
    await instance.waitUntilExit();
  } finally {
    if (alternate) stdout.write(LEAVE_ALTERNATE_SCREEN);
    await backend.close().catch(() => undefined);
  }
  for (const line of summaries) stdout.write(`${line}\n`);
  return code;
}
