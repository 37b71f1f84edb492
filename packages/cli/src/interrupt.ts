import type { CancelOutcome, RunEvent } from '@multidb/core';
import { signalExitCode } from './exit-codes.js';
import { printJson, type ErrorJson, type StepJson } from './json-output.js';
import type { MaskingOutput } from './output.js';

/** The signals a command that writes handles (Ctrl-C sends SIGINT; an orchestrator stopping a deploy, SIGTERM). */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** What {@link handleCommandSignals} takes: the command and how it reports. */
export interface CommandSignalOptions {
  /** The command: its name, for the lines (`'upgrade'`, `'downgrade'`, `'stamp'`). */
  readonly command: 'upgrade' | 'downgrade' | 'stamp';
  /** `--json`: a signal also prints an {@link ErrorJson} (`INTERRUPTED` or `ABORTED`) on stdout. */
  readonly json?: boolean;
  /**
   * Ends the process (default `process.exit`); tests pass their own. Given, it is also what ends a
   * run whose SQLite revisions may be on worker threads (see {@link RunSignalOptions.workers}),
   * which otherwise ends by the signal itself.
   */
  readonly exit?: (code: number) => never;
}

/** What {@link CommandSignals.startRun} takes: what the run's signals need to know of its binds. */
export interface RunSignalOptions {
  /** Each bind's dialect (`'sqlite'`, `'postgres'`, `'mysql'`, `'mariadb'`), for what an abort leaves behind there. */
  readonly dialectOf: (bind: string) => string;
  /** More than one revision may be in progress at once (`--concurrency N` > 1). */
  readonly several?: boolean;
  /**
   * Every bind the run may touch is a SQLite bind (default `false`). Only then does the first
   * signal, with SQLite revisions alone in progress, leave the next one to the OS (see
   * {@link handleCommandSignals}): with a server bind in the run, one between its steps may hold
   * work back (a MySQL/MariaDB version write sent with its next statement) that an abort at once
   * would not send.
   */
  readonly sqliteOnly?: boolean;
  /**
   * SQLite revisions may run on worker threads (default `false`): an upgrade of many SQLite tenants
   * with `--concurrency` 2 or more (core's `RunOptions.workers`). `process.exit` waits for every
   * worker, and one blocked in a better-sqlite3 statement only lets go once the statement ends
   * (seconds, minutes): so the second signal, once its lines (and `--json` document) are out, ends
   * the process by that signal itself (handlers removed, `process.kill(process.pid, signal)`),
   * unless {@link CommandSignalOptions.exit} was given. A shell sees 130 (143), a parent process a
   * death by SIGINT (SIGTERM).
   */
  readonly workers?: boolean;
  /**
   * Cancels the statements the run's connections are running on their servers, waiting at most
   * `timeoutMs` (core's `MigrationEnvironment.cancelInFlight`): called by the second signal before
   * the process ends. Omitted: nothing is cancelled.
   */
  readonly cancel?: (timeoutMs: number) => Promise<ReadonlyMap<string, CancelOutcome>>;
}

/** How long the second signal waits for the statements in progress to be cancelled before the process ends anyway. */
export const CANCEL_WAIT_MS = 2000;

/** What {@link CommandSignals.startRun} gives the command for its run. */
export interface StopSignals {
  /** Aborted (reason `'SIGINT'` or `'SIGTERM'`) by the first signal: core's `RunOptions.signal`. */
  readonly signal: AbortSignal;
  /** Wraps the run's event listener, to know which revisions are in progress and which completed. */
  listen(onEvent: (event: RunEvent) => void): (event: RunEvent) => void;
  /**
   * Settles as `run` (the command's run) does, unless the second signal came: then never, since
   * the abort ends the process (the run's rejection with a cancelled statement's error is not
   * reported).
   */
  run<T>(run: Promise<T>): Promise<T>;
  /**
   * The run has ended (call it whatever its outcome): until {@link CommandSignals.after}, a signal
   * ends the command at once, saying the run had ended (its connections are closing).
   */
  dispose(): void;
}

/** What a signal does outside the run: the lines it prints on stderr, and with `--json` the document on stdout. */
export interface OutsideRun {
  readonly lines: (signal: StopSignal) => readonly string[];
  readonly json: (signal: StopSignal) => ErrorJson;
}

/** What {@link handleCommandSignals} gives the command: one handling of SIGINT and SIGTERM for its whole life. */
export interface CommandSignals {
  /** The run starts: from now until its {@link StopSignals.dispose}, a signal stops it (see {@link handleCommandSignals}). */
  startRun(options: RunSignalOptions): StopSignals;
  /** The run has completed: from now on the first signal ends the command saying `what` (e.g. codegen interrupted). */
  after(what: OutsideRun): void;
  /** Removes the handlers (the process's default comes back; already done by a first signal that found only SQLite in progress): call it when the command ends. */
  dispose(): void;
}

/**
 * Handles Ctrl-C (SIGINT) and SIGTERM for the whole life of `migrate upgrade`, `downgrade` or
 * `stamp`, as a user of Alembic, Drizzle or Atlas would want; what a signal does depends on where
 * the command is:
 *
 * - before the run starts (the config loads): the first signal ends the
 *   command, exit 130 (SIGTERM: 143), with one line, `Interrupted (SIGINT) before the upgrade
 *   started: nothing was changed.` (`--json`: an {@link ErrorJson} `INTERRUPTED` with no steps).
 * - while the run runs ({@link CommandSignals.startRun}): the first signal asks it to stop (core's
 *   `RunOptions.signal`): the revision(s) in progress finish (or fail) normally, no new one
 *   starts (nor does a bind's connect in progress go on: see core's `RunOptions.signal`), and
 *   stderr says so at once: `Stopping after the revision in progress; press Ctrl-C again to abort
 *   it.` (with none in progress, e.g. a signal seen only once a SQLite revision that held the
 *   thread had ended: `Stopping: no revision is in progress; none will start.`, except where
 *   revisions may run unseen on worker threads, {@link RunSignalOptions.workers}) The run then ends with core's `InterruptedError`; `main` reports where
 *   each bind stands and exits 130 (143). A second signal aborts at once: the statements the
 *   run's connections are running on their servers are cancelled (`cancel`: PostgreSQL's cancel
 *   request, MySQL/MariaDB's `KILL QUERY`; waiting at most {@link CANCEL_WAIT_MS}), then one line
 *   per revision in progress says what its database does with it (SQLite discards the
 *   uncommitted transaction; PostgreSQL rolls it back as the connection closes, its running
 *   statement cancelled; on MySQL/MariaDB the writes it completed stay, recorded, and running the
 *   same command again resumes it; a statement that could not be interrupted, `KILL QUERY` being
 *   sent only to a session verified as the run's own, may run on to its end), and the process exits 130 (143) without closing anything
 *   gracefully. A third signal meanwhile ends it without waiting. Where SQLite revisions may run
 *   on worker threads ({@link RunSignalOptions.workers}), `process.exit` would wait for a worker
 *   blocked in a statement until it ends: there the process, once the lines and the document are
 *   written (stdout and stderr flushed), ends by the signal itself instead (a shell sees 130 or
 *   143; a parent process, a death by SIGINT or SIGTERM), unless the caller passed its own `exit`. With `--json`, stdout gets an
 *   {@link ErrorJson} whose `code` is `ABORTED`, with the `steps` completed and the revisions
 *   `inProgress`. Except when every bind of the config is a SQLite bind (`sqliteOnly`) and the
 *   revisions in progress at the first signal all run on SQLite:
 *   that signal then also removes both handlers, so the process's default comes back and the
 *   next SIGINT or SIGTERM ends the process at once, by that signal (a shell sees 130 or 143),
 *   even while a statement holds the thread, with no further line nor JSON document; its line
 *   says so (`Stopping after the revision in progress; press Ctrl-C again to abort it at once:
 *   SQLite discards its uncommitted transaction.`). better-sqlite3 is synchronous: during a long
 *   statement no handler could run before it returned, but the OS's default action needs none,
 *   and it is safe there (SQLite discards the uncommitted transaction, the version table is
 *   unchanged, the OS releases the locks). A handler runs only while the thread is free, though:
 *   a signal that comes while a SQLite statement holds it is seen once the revision has ended
 *   (committed), when the run stops anyway; so this helps once the first signal was seen with
 *   the revision still in progress (e.g. it awaited I/O before its long statement). With a
 *   PostgreSQL or MySQL/MariaDB revision in progress the handlers stay: the thread is free, and
 *   the statement running on the server must be cancelled there. Core's `RunOptions.signal` is
 *   unaffected: only this process's handling changes.
 * - after the run ended: a signal ends the command at once; once the command said what comes
 *   next ({@link CommandSignals.after}, e.g. the codegen after an upgrade), with its lines
 *   (`Interrupted (SIGINT) during codegen: the upgrade completed (2 revisions); the types may be
 *   stale: run 'migrate codegen'.`), else saying that the run had ended.
 * @param output - the CLI's output (stderr lines; stdout for `--json`).
 * @param options - the command, `--json`.
 * @returns the phases' switches and `dispose` (call it when the command ends).
 * @example
 * ```ts
 * const output = new MaskingOutput(processOutput);
 * const signals = handleCommandSignals(output, { command: 'upgrade' });
 * try {
 *   const env = await loadEnvironment({ dialects });
 *   const stop = signals.startRun({ dialectOf: (b) => env.dialectName(b), cancel: (timeoutMs) => env.cancelInFlight({ timeoutMs }) });
 *   try {
 *     await stop.run(commands.upgrade(env, [], { signal: stop.signal, onEvent: stop.listen(renderEvents(output)) }));
 *   } finally {
 *     stop.dispose();
 *   }
 * } finally {
 *   signals.dispose();
 * }
 * ```
 */
export function handleCommandSignals(output: MaskingOutput, options: CommandSignalOptions): CommandSignals {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const { command } = options;
  const outside = (what: OutsideRun) => (signal: StopSignal) => {
    for (const line of what.lines(signal)) output.err(line);
    if (options.json) printJson(output, what.json(signal));
    exit(signalExitCode(signal));
  };
  const before = `before the ${command} started: nothing was changed.`;
  let handle: (signal: StopSignal) => void = outside({
    lines: (signal) => [`Interrupted (${signal}) ${before}`],
    json: (signal) => ({ error: { message: `Interrupted (${signal}) ${before}`, code: 'INTERRUPTED', steps: [], heads: {}, pending: [], notStarted: [] } }),
  });
  // Without a caller's `exit`: ends the process by the signal, not waiting for worker threads.
  const bySignal = options.exit
    ? undefined
    : (signal: StopSignal) => {
        release();
        process.kill(process.pid, signal);
      };
  const onInt = () => handle('SIGINT');
  const onTerm = () => handle('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const release = () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  return {
    startRun: (runOptions) => {
      const run = runSignals(output, { ...options, ...runOptions, exit, release, ...(bySignal ? { bySignal } : {}) });
      handle = run.handle;
      return {
        ...run.stop,
        dispose: () => {
          // The run has ended; its connections close and main reports it.
          const ended = `while the ${command}'s connections closed, after it ended. Run 'migrate current' to see where each bind stands.`;
          handle = outside({
            lines: (signal) => [`Aborted (${signal}) ${ended}`],
            json: (signal) => ({ error: { message: `Aborted (${signal}) ${ended}`, code: 'ABORTED', steps: run.completed(), inProgress: [] } }),
          });
        },
      };
    },
    after: (what) => {
      handle = outside(what);
    },
    dispose: release,
  };
}

/**
 * The run phase of {@link handleCommandSignals}: `handle` takes each signal while the run runs
 * (the first stops it after the revisions in progress; the second cancels what runs on the
 * servers and ends the process); `stop` is what the command gives core.
 */
function runSignals(
  output: MaskingOutput,
  options: CommandSignalOptions &
    RunSignalOptions & { readonly exit: (code: number) => never; readonly release: () => void; readonly bySignal?: (signal: StopSignal) => void },
): { stop: Omit<StopSignals, 'dispose'>; handle: (signal: StopSignal) => void; completed: () => StepJson[] } {
  const controller = new AbortController();
  const inProgress = new Map<string, { revision: string; direction: 'up' | 'down' }>();
  const completed: StepJson[] = [];
  const { exit } = options;
  const stamp = options.command === 'stamp';
  // Ends the process: by the signal itself when a worker thread may be blocked in SQLite (see RunSignalOptions.workers).
  const end = (signal: StopSignal): void => {
    if (options.workers) options.bySignal?.(signal);
    exit(signalExitCode(signal));
  };

  // Set by the second signal: the process ends once the statements in progress are cancelled.
  let aborting = false;
  const abort = async (signal: StopSignal): Promise<void> => {
    aborting = true;
    // As they stand at the signal: the cancelled statements' failures that follow change nothing.
    const steps = [...inProgress];
    const done = [...completed];
    const none = new Map<string, CancelOutcome>();
    const outcomes = options.cancel ? await options.cancel(CANCEL_WAIT_MS).catch(() => none) : none;
    const lines = stamp
      ? ['A version table being written, if any, was not committed: its database rolls that write back.']
      : steps.map(([bind, step]) => `[${bind}] ${abortedRevision(step.revision, options.dialectOf(bind), outcomes.get(bind))}`);
    if (!lines.length) lines.push('No revision was in progress.');
    for (const line of lines) output.err(line);
    output.err(`Aborted (${signal}). Run 'migrate current' to see where each bind stands.`);
    if (options.json) {
      const doc: ErrorJson = {
        error: {
          message: `Aborted (${signal}): ${lines.join(' ')}`,
          code: 'ABORTED',
          steps: done,
          inProgress: steps.map(([bind, step]) => ({ bind, ...step })),
        },
      };
      printJson(output, doc);
    }
    if (options.workers && options.bySignal) await flushed(CANCEL_WAIT_MS);
    end(signal);
  };
  const handle = (signal: StopSignal): void => {
    if (aborting) {
      end(signal); // a third signal: no more waiting
      return;
    }
    if (controller.signal.aborted) {
      void abort(signal);
      return;
    }
    controller.abort(signal);
    const again = signal === 'SIGINT' ? 'press Ctrl-C again' : 'send it again';
    if (stamp) {
      output.err(`Stopping before the next bind is stamped; ${again} to abort at once.`);
      return;
    }
    const binds = [...inProgress.keys()];
    if (!binds.length && !options.workers) {
      // E.g. the signal was seen once a revision that held the thread had ended (the run's last one,
      // maybe). Not said of worker threads: a worker posts a revision's start only once it yields,
      // so one may be in progress unseen.
      output.err('Stopping: no revision is in progress; none will start.');
      return;
    }
    if (options.sqliteOnly && binds.length && binds.every((bind) => options.dialectOf(bind) === 'sqlite')) {
      // Only SQLite in progress: better-sqlite3 holds the thread through each statement, so no
      // listener could take the next signal before the statement returns (minutes, maybe). The
      // OS's default action takes it instead and ends the process at once: SQLite discards the
      // uncommitted transaction (the next connection rolls its journal back), the version table
      // is unchanged and the OS releases the file locks.
      options.release();
      output.err(
        binds.length > 1 || options.several
          ? `Stopping after the revisions in progress; ${again} to abort them at once: SQLite discards their uncommitted transactions.`
          : `Stopping after the revision in progress; ${again} to abort it at once: SQLite discards its uncommitted transaction.`,
      );
    } else if (options.several) output.err(`Stopping after the revisions in progress; ${again} to abort them.`);
    else output.err(`Stopping after the revision in progress; ${again} to abort it.`);
  };
  const stop: Omit<StopSignals, 'dispose'> = {
    signal: controller.signal,
    listen: (onEvent) => (event) => {
      if (event.type === 'step-start') inProgress.set(event.bind, { revision: event.revision, direction: event.direction });
      else if (event.type === 'step-done') {
        inProgress.delete(event.bind);
        completed.push({ bind: event.bind, revision: event.revision, direction: event.direction, elapsedMs: event.elapsedMs });
      } else if (event.type === 'step-failed') inProgress.delete(event.bind);
      onEvent(event);
    },
    run: (run) =>
      run.then(
        (value) => (aborting ? ABORTING : value),
        (error: unknown) => {
          if (aborting) return ABORTING;
          throw error;
        },
      ),
  };
  return { stop, handle, completed: () => [...completed] };
}

/**
 * Resolves once the process's stdout and stderr hold nothing unwritten (the CLI's output writes
 * to the descriptors straight, falling back to Node's streams when a pipe is full), or after `ms`:
 * a reader that does not read must not keep the process alive.
 */
async function flushed(ms: number): Promise<void> {
  const pending = [process.stdout, process.stderr].filter((stream) => stream.writableLength > 0 && !stream.destroyed);
  if (!pending.length) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(pending.map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve())))),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/** What {@link StopSignals.run} gives once the abort began: a promise that never settles (the process ends). */
const ABORTING: Promise<never> = new Promise<never>(() => undefined);

/**
 * What a database does with a revision that was in progress when the process ended, as checked
 * against each server (the process exits without a ROLLBACK; its connections close with it),
 * given what cancelling its connection did (`undefined`: not tried).
 */
function abortedRevision(revision: string, dialect: string, cancel: CancelOutcome | undefined): string {
  switch (dialect) {
    case 'sqlite':
      return `${revision} was in progress: its transaction was not committed, and SQLite discards it (a revision with transaction = false keeps the ops it completed).`;
    case 'postgres': {
      const unless = 'unless its COMMIT had already been sent; a revision with transaction = false keeps the statements it completed';
      if (cancel === 'cancelled') return `${revision} was in progress: the statement it was running was cancelled, and PostgreSQL rolls its transaction back as the connection closes (${unless}).`;
      if (cancel === 'idle') return `${revision} was in progress: its transaction was not committed, and PostgreSQL rolls it back as the connection closes (${unless}).`;
      return (
        `${revision} was in progress: its transaction was not committed (unless its COMMIT had already been sent), and PostgreSQL rolls it back ` +
        'once it sees the connection closed, after the statement it is running, if any, has ended.'
      );
    }
    case 'mysql':
    case 'mariadb':
      return (
        `${revision} was in progress: ${
          cancel === 'cancelled'
            ? 'the statement it was running was interrupted (KILL QUERY); '
            : cancel === 'unconfirmed'
              ? 'the statement it was running could not be interrupted (KILL QUERY not sent or not confirmed) and may run on to its end on the server; '
              : ''
        }` +
        'the statements it completed stay (MySQL/MariaDB commits DDL at once) and are recorded; ' +
        'running the same command again resumes it, or says what to check by hand.'
      );
    default:
      return `${revision} was in progress and was not recorded as applied.`;
  }
}
