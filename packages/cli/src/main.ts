import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InterruptedError, LockTimeoutError, MigrationError, RESERVED_TARGET_NAMES, REVISION_ID_PATTERN, RunError, UnreachableBindsError, maskUrl, oneLine, stoppedWhere } from '@multidb/core';
import type { CliContext } from './cli-context.js';
import { cliVersion } from './cli-version.js';
import { loadEnvFile } from './env-file.js';
import { ExitCode, exitCodeOf } from './exit-codes.js';
import { errorJson, printJson } from './json-output.js';
import { MaskingOutput, processOutput, type Output } from './output.js';
import { parseXArgs, xArgProblem } from './x-args.js';
import { staleTypesLine, staleTypesOf } from './stale-types.js';
import { UsageError } from './usage-error.js';

/** Options of {@link main} for embedding and tests. */
export interface MainOptions {
  /** Where the config search starts (default `process.cwd()`). */
  readonly cwd?: string;
  /**
   * Where lines go (default {@link processOutput}: stdout and stderr); always wrapped in a
   * {@link MaskingOutput}.
   *
   * Without it, `main` acts as the `migrate` process it is in the bin: while `upgrade`,
   * `downgrade` or `stamp` runs it handles SIGINT and SIGTERM (the first stops after the revision
   * in progress, a second one ends the process with `process.exit`), and on a terminal `migrate`
   * asks about possible renames. With an output of its own (an app embedding it) neither happens:
   * the app's signal handlers alone decide, and renames must be given (`--rename`, `--no-rename`).
   */
  readonly output?: Output;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds (0 or more).');
  return n;
}

function revisionId(value: string): string {
  if (!REVISION_ID_PATTERN.test(value)) throw new InvalidArgumentError('use 1 to 32 of A-Z, a-z, 0-9 and _.');
  if (RESERVED_TARGET_NAMES.includes(value)) throw new InvalidArgumentError(`'${value}' is a reserved word (${RESERVED_TARGET_NAMES.join(', ')} are targets); choose another id.`);
  return value;
}

function keyValue(value: string, previous: string[] = []): string[] {
  const problem = xArgProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return [...previous, value];
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return n;
}

/** The first 20 names, then a count: one line for thousands of tenants. */
function listSome(names: readonly string[]): string {
  return names.length <= 20 ? names.join(', ') : `${names.slice(0, 20).join(', ')} and ${names.length - 20} more`;
}

/**
 * The line of a run's error message that says how to finish the run (core's `RunError`,
 * `MigrationError`, `LockTimeoutError`, `UnreachableBindsError`, `InterruptedError`: `  running
 * '+2' again would step again the binds that ran; …`, `  running the same command again, …`),
 * as a sentence for stderr (`Running '+2' again …`), and the message without it; `line`
 * undefined when it has none.
 */
function finishLine(message: string): { readonly line: string | undefined; readonly rest: string } {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => l.startsWith('  running '));
  if (at < 0) return { line: undefined, rest: message };
  return { line: lines[at]!.trim().replace(/^r/, 'R'), rest: [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n') };
}

/**
 * Renders a run without `--concurrency` that a failed revision (core's `MigrationError`) or a
 * migration lock not acquired in time (`LockTimeoutError`) stopped after it completed steps
 * toward targets that count revisions from where each bind stands (`+2`): the line saying that
 * running them again would step again the binds that ran and what to run instead (their
 * `retry`), or that no command finishes the run (a downgrade of one line of a branch with several
 * heads: `relative` without `retry`), then its `ERROR:` line without it (see {@link formatError}).
 * @param error - the run's error.
 * @param raiseErr - `--raiseerr`: add the stack trace.
 * @returns the lines to print on stderr, in order.
 */
function formatRetried(error: MigrationError | LockTimeoutError, raiseErr: boolean): string[] {
  const { line, rest } = finishLine(error.message);
  const [, ...stack] = formatError(error, raiseErr).split('\n');
  return [...(line ? [line] : []), [`ERROR: ${oneLine(maskUrl(rest))}`, ...stack].join('\n')];
}

/**
 * Renders a failed concurrent run (`--concurrency`): a line naming the steps not run because they
 * wait on a failed bind (when there are some), lines naming what a Ctrl-C or SIGTERM left when
 * the run was interrupted too (steps not run, binds not started: `RunError.interrupted`), a line
 * saying how to finish the run, when the error says it (a run's: `upgrade`, `downgrade`): running
 * the same command again runs only what is left; or, for relative targets (`RunError.relative`),
 * that running them again would step again the binds that ran, and the command that gives each
 * bind left the revision its plan led to (`migrate upgrade t2@7a7a7a7a7a02`: `RunError.retry`), then one
 * `ERROR:` line per unreachable bind, per
 * stopped group (its error, then where its bind stays) and per failed bind (see
 * {@link formatError}).
 * @param error - the run's error.
 * @param raiseErr - `--raiseerr`: add each failure's stack trace.
 * @returns the lines to print on stderr, in order.
 * @example
 * ```ts
 * try { await env.upgrade([], { concurrency: 4 }); }
 * catch (e) { if (e instanceof RunError) for (const line of formatRunError(e, false)) console.error(line); }
 * ```
 */
export function formatRunError(error: RunError, raiseErr: boolean): string[] {
  const lines: string[] = [];
  if (error.skipped.length) {
    lines.push(`Not run (waiting on a failed bind): ${error.skipped.map((s) => `[${s.bind}] ${s.revision}`).join(', ')}`);
  }
  // Interrupted too (Ctrl-C, SIGTERM): what the signal left, apart from what waits on a failure.
  const stop = error.interrupted;
  if (stop?.pending.length) lines.push(`Not run (the run was interrupted): ${listSome(stop.pending.map((s) => `[${s.bind}] ${s.revision}`))}`);
  if (stop?.notStarted.length) lines.push(`Not started (the run was interrupted; nothing read or changed there): ${listSome(stop.notStarted)}`);
  // How to finish the run: the same command again, or (a relative target, `+1`, which would step
  // again the binds that took it) the targets each bind left still needs.
  const retry = finishLine(error.message).line;
  if (retry) lines.push(retry);
  // A stopped group's line ends with where its bind stays (the stack trace, if any, follows).
  const stopped = error.stopped.map((s) => {
    const [first = '', ...rest] = formatError(s.error, raiseErr).split('\n');
    return [oneLine(`${first}\n${stoppedWhere(s)}`), ...rest].join('\n');
  });
  return [...lines, ...error.unreachable.map((e) => formatError(e, raiseErr)), ...stopped, ...error.failures.map((f) => formatError(f, raiseErr))];
}

/**
 * Renders a run that stopped because binds could not be connected (core's `UnreachableBindsError`):
 * when the run had other binds, a line naming them as not run (`Nothing ran: … not run: aa, zz. …`),
 * when the groups before it completed steps toward targets that count revisions from where each
 * bind stands (`+2`), a line saying that running them again would step again the binds that ran
 * and what to run instead (its `retry`), then one `ERROR:` line per bind that could not be
 * connected (see {@link formatError}).
 * @param error - the run's error.
 * @param raiseErr - `--raiseerr`: add each bind's stack trace.
 * @returns the lines to print on stderr, in order.
 * @example
 * ```ts
 * try { await env.upgrade(); }
 * catch (e) { if (e instanceof UnreachableBindsError) for (const line of formatUnreachable(e, false)) console.error(line); }
 * ```
 * @internal
 */
export function formatUnreachable(error: UnreachableBindsError, raiseErr: boolean): string[] {
  // The message is each bind's message, one per line, then what the run did not run, then how to finish it.
  const each = error.unreachable.map((e) => e.message).join('\n');
  const { line: retry, rest } = finishLine(error.message);
  const note = oneLine(rest.startsWith(each) ? rest.slice(each.length) : '');
  // First, as formatRunError's "Not run" and "Running" lines: the last line stays an ERROR line.
  return [...(note ? [maskUrl(note.charAt(0).toUpperCase() + note.slice(1))] : []), ...(retry ? [retry] : []), ...error.unreachable.map((e) => formatError(e, raiseErr))];
}

/**
 * Renders a run that a signal stopped after its revisions in progress (core's `InterruptedError`):
 * what it completed, where each bind it read stands (with the revisions it did not run there),
 * the binds it did not get to, and what to do next (`Run the same command again to go on.`; for
 * targets that count revisions from where each bind stands, `+2`, which would step again the
 * binds that ran, what to run instead: `Running '+2' again would step again the binds that ran;
 * to finish just what it meant, run instead: migrate upgrade t2@ab03.`, its `retry`; when the
 * signal came during the last revisions, that nothing was left to run). For stderr; not
 * `ERROR:` lines (nothing failed).
 * @param error - the run's error.
 * @returns the lines, in order.
 * @example
 * ```ts
 * formatInterrupted(new InterruptedError({ reason: 'SIGINT', heads: new Map([['db2', ['ab01']]]), pending: [{ bind: 'db2', revision: 'ab02' }] }));
 * // ['Interrupted (SIGINT): stopped after 0 revisions.', '[db2] at ab01; not run: ab02', 'Run the same command again to go on.']
 * ```
 * @internal
 */
export function formatInterrupted(error: InterruptedError): string[] {
  const n = error.completed.length;
  const signal = typeof error.reason === 'string' && /^SIG[A-Z]+$/.test(error.reason) ? ` (${error.reason})` : '';
  const lines = [`Interrupted${signal}: stopped after ${n} revision${n === 1 ? '' : 's'}.`];
  for (const [bind, heads] of error.heads) {
    const left = error.pending.filter((p) => p.bind === bind).map((p) => p.revision);
    lines.push(`[${bind}] at ${heads.length ? heads.join(', ') : '<base>'}${left.length ? `; not run: ${listSome(left)}` : ''}`);
  }
  if (error.notStarted.length) lines.push(`Not started (nothing read or changed there): ${listSome(error.notStarted)}`);
  // Stopped during the last revision(s): it finished, and nothing was left to run. Relative
  // targets (`+2`): what to run instead of the same command.
  const retry = finishLine(error.message).line;
  lines.push(retry ?? (error.pending.length || error.notStarted.length ? 'Run the same command again to go on.' : 'Nothing was left to run: every bind is at its target.'));
  return lines;
}

/**
 * Renders an error as one readable line, `ERROR: <message>` with its lines joined by core's
 * `oneLine` and URLs masked; with `--raiseerr`, the (masked) stack trace follows that line, then
 * each cause's (`Caused by: …`).
 * @param error - what was thrown.
 * @param raiseErr - `--raiseerr`: add the stack trace.
 * @returns the text to print on stderr (one line without `raiseErr`).
 * @example
 * ```ts
 * formatError(new Error('connect failed\nat postgres://app:s3cret@db/sales'), false);
 * // 'ERROR: connect failed; at postgres://app:***@db/sales'
 * ```
 */
export function formatError(error: unknown, raiseErr: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = `ERROR: ${oneLine(maskUrl(message))}`;
  if (!raiseErr || !(error instanceof Error) || !error.stack) return line;
  // Then each cause's (a failed revision's error: its stack names the revision's lines), as Python's "caused by".
  let text = `${line}\n${maskUrl(error.stack)}`;
  const seen = new Set<unknown>([error]);
  for (let cause = error.cause; cause instanceof Error && !seen.has(cause) && seen.size <= 8; cause = cause.cause) {
    seen.add(cause);
    text += `\nCaused by: ${maskUrl(cause.stack ?? `${cause.name}: ${cause.message}`)}`;
  }
  return text;
}

/**
 * The commands of `migrate`, as {@link main} defines them.
 * @internal
 */
export const COMMANDS: ReadonlySet<string> = new Set(['init', 'revision', 'migrate', 'check', 'models', 'codegen', 'merge', 'upgrade', 'downgrade', 'current', 'status', 'history', 'heads', 'branches', 'show', 'stamp', 'resolve', 'tui']);

/** The global options that take a value: the next argument, unless written `--opt=value` or `-cVALUE`. */
const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-c', '--config', '-x', '--x-arg', '--env-file']);

/**
 * The command that `args` runs, read the way commander reads them: the first argument that is not
 * a global option or its value, when it is a command's name. `undefined` when there is none, or
 * when an argument before it is another option (`--help`, `--version`, an unknown one) or `--`:
 * then commander decides, with every command defined.
 *
 * Why: defining all 18 commands and their options on every start-up cost a few ms of CPU; `main`
 * defines only the one that runs when it is known (its help and errors do not list the others).
 * @param args - the arguments after the program name (`--no-rename` already read as `--not-rename`).
 * @returns the name of the command, or `undefined`: define every command.
 * @example
 * ```ts
 * commandToRun(['-c', 'heads.ts', 'current']); // 'current'
 * commandToRun(['--help', 'heads']); // undefined
 * ```
 * @internal
 */
export function commandToRun(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (arg === '--raiseerr' || /^--(?:config|x-arg|env-file)=/.test(arg) || /^-[cx]./.test(arg)) continue;
    if (arg.startsWith('-')) return undefined;
    return COMMANDS.has(arg) ? arg : undefined;
  }
  return undefined;
}

/** Commander's usage error (`error: unknown option '--x'`) as one `ERROR:` line. */
function formatUsageError(text: string): string {
  const message = oneLine(text.trim().replace(/^error:\s*/i, ''));
  return `ERROR: ${message} (run 'migrate --help' for usage)`;
}

/**
 * Runs `migrate` with the given arguments. Before a command runs, `.env` next to the config (or
 * `--env-file PATH`) is loaded into `process.env`, never overriding a variable already set. With
 * `--json`, a failure also prints an `ErrorJson` document on stdout.
 *
 * @param argv - the arguments after the program name, e.g. `['upgrade', 'db2']`.
 * @returns the exit code ({@link ExitCode}): 0 ok, 1 error (also `check` with a bind it could not
 *   compare), 2 usage, 3 lock timeout, 4 `check` found differences (and compared every bind), 130 (143) a run stopped by Ctrl-C (SIGTERM).
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const output = new MaskingOutput(options.output ?? processOutput);
  const program = new Command('migrate');
  let exitCode: number = ExitCode.ok;
  let raiseErr = argv.includes('--raiseerr');
  const json = argv.includes('--json');
  const cwd = options.cwd ?? process.cwd();
  // Commander reads `--no-X` as the negation of `--X`: `--no-rename A` is `--not-rename A` here.
  const args = argv.map((a) => (a === '--no-rename' ? '--not-rename' : a.startsWith('--no-rename=') ? `--not-rename=${a.slice(12)}` : a));
  const only = commandToRun(args);
  const wanted = (name: string): boolean => only === undefined || only === name;
  const ctx = (): CliContext => {
    const opts = program.opts<{ config?: string; raiseerr?: boolean; xArg?: string[] }>();
    raiseErr = opts.raiseerr ?? raiseErr;
    // The bin's own process (no output given): Ctrl-C and SIGTERM stop a run after its revisions in progress.
    return { cwd, config: opts.config, output, interactive: options.output === undefined, signals: options.output === undefined, xArgs: parseXArgs(opts.xArg ?? []) };
  };

  program
    .description('Alembic-style migrations for several databases at once (one version branch per bind).')
    .option('-c, --config <path>', 'config file (default: migrate.config.ts, searched upward)')
    .option('--raiseerr', 'print the full stack trace on error')
    .option('-x, --x-arg <key=value>', 'extra argument for the revisions, read as op.xArgs (repeatable; Alembic\'s -x)', keyValue)
    .option('--env-file <path>', 'load environment variables from this file (default: .env next to the config, if any)')
    .version(cliVersion(), '-V, --version', 'print the version of migrate')
    .hook('preAction', () => {
      const opts = program.opts<{ config?: string; envFile?: string }>();
      loadEnvFile(cwd, opts.config, opts.envFile);
    })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s.replace(/\n$/, '')),
      writeErr: (s) => output.err(s.replace(/\n$/, '')),
      outputError: (s, write) => write(formatUsageError(s)),
    });

  if (wanted('init')) {
    program
      .command('init')
      .description('create a migration repository (and a starter config if none exists)')
      .option('--multidb', 'one version branch per bind')
      .option('-d, --directory <dir>', 'repository folder (default: the config\'s directory, or migrations)')
      .option('--bind <name>', 'bind of the starter config (repeatable)', collect)
      .action(async (opts) => {
        const { initCommand } = await import('./commands/init.js');
        await initCommand(ctx(), opts);
      });
  }

  const jsonOption = () => new Option('--json', "print the result as one JSON document on stdout (see the README's JSON output)");

  if (wanted('revision')) {
    program
      .command('revision')
      .description('create a new revision file (with --autogenerate: from the differences between models and database)')
      .option('-m, --message <message>', 'revision message')
      .option('-b, --bind <bind>', 'bind whose branch gets the revision (required with several binds)')
      .option('--autogenerate', "compare the bind's models with its database and write the ops")
      .option('--baseline', "with --autogenerate: compare the bind's models with an empty schema (no database is opened): the first revision of its branch, creating every table")
      .option('--rename <old=new>', 'with --autogenerate: a rename (table.old=table.new, or old=new for a table; repeatable)', collect)
      .option('--not-rename <old=new>', 'with --autogenerate: not a rename (also spelled --no-rename): drop and add (repeatable)', collect)
      .option('--head <head>', 'base the revision on this head (e.g. db2@head or a revision id)')
      .option('--splice', 'with --head naming a revision that is not a head: start a new branch from it')
      .option('--branch-label <label>', 'branch label to give the revision (repeatable)', collect)
      .option('--depends-on <rev>', 'revision this one depends on (repeatable)', collect)
      .addOption(new Option('--rev-id <id>', 'revision id to use instead of a generated one').argParser(revisionId))
      .addOption(jsonOption())
      .action(async (opts) => {
        if (opts.baseline && !opts.autogenerate) {
          throw new UsageError("'--baseline' is an option of 'revision --autogenerate' (or 'migrate migrate --baseline'): add --autogenerate.");
        }
        if (opts.autogenerate) {
          const { autogenerateCommand } = await import('./commands/autogenerate.js');
          await autogenerateCommand(ctx(), { ...opts, noRename: opts.notRename, bind: opts.bind === undefined ? undefined : [opts.bind], requireBind: true });
        } else {
          const { revisionCommand } = await import('./commands/revision.js');
          await revisionCommand(ctx(), opts);
        }
      });
  }

  if (wanted('migrate')) {
    program
      .command('migrate')
      .description('autogenerate: one revision per bind whose models differ from its database (revision --autogenerate for every bind)')
      .option('-m, --message <message>', 'revision message')
      .option('-b, --bind <bind>', 'only this bind (repeatable)', collect)
      .option('--rename <old=new>', 'a rename (table.old=table.new, or old=new for a table; repeatable)', collect)
      .option('--not-rename <old=new>', 'not a rename: drop and add (also spelled --no-rename; repeatable)', collect)
      .option('--baseline', "compare each bind's models with an empty schema (no database is opened): the first revision of its branch, creating every table")
      .addOption(new Option('--rev-id <id>', 'revision id to use (one bind only)').argParser(revisionId))
      .addOption(jsonOption())
      .action(async (opts) => {
        const { autogenerateCommand } = await import('./commands/autogenerate.js');
        await autogenerateCommand(ctx(), { ...opts, noRename: opts.notRename });
      });
  }

  if (wanted('check')) {
    program
      .command('check')
      .description("compare every bind's database with its models (for CI) and report each one: exit 0 when all match, 4 when one differs, 1 when one cannot be compared (not at its head, unreachable, …)")
      .argument('[binds...]', 'only these binds')
      .addOption(jsonOption())
      .action(async (binds: string[], opts: { json?: boolean }) => {
        const { checkCommand } = await import('./commands/check.js');
        const verdict = await checkCommand(ctx(), binds, opts);
        if (verdict !== 'ok') exitCode = verdict === 'failed' ? ExitCode.error : ExitCode.differences;
      });
  }

  if (wanted('models')) {
    program
      .command('models')
      .description("write a bind's models module (defineModels) from its live database: to --output, else the bind's models path, else stdout")
      .option('--from-database', "read the models from the bind's live database")
      .option('-b, --bind <bind>', 'the bind to read (required with several binds)')
      .option('-o, --output <file>', "write here instead of the bind's models path")
      .option('--force', 'overwrite an existing file')
      .action(async (opts) => {
        const { modelsCommand } = await import('./commands/models.js');
        await modelsCommand(ctx(), opts);
      });
  }

  if (wanted('codegen')) {
    program
      .command('codegen')
      .description("write each bind's Kysely DB interface (kysely-codegen) to its types file; --verify: exit 4 when one is stale (for CI); every bind is reported, exit 1 when one's types cannot be generated (no URL, unreachable)")
      .argument('[binds...]', 'only these binds (default: every bind with binds.<bind>.types)')
      .option('--verify', 'write nothing; exit 4 when a file differs from the database')
      .addOption(jsonOption())
      .action(async (binds: string[], opts: { verify?: boolean; json?: boolean }) => {
        const { codegenCommand } = await import('./commands/codegen.js');
        const verdict = await codegenCommand(ctx(), binds, opts);
        if (verdict !== 'ok') exitCode = verdict === 'failed' ? ExitCode.error : ExitCode.differences;
      });
  }

  if (wanted('merge')) {
    program
      .command('merge')
      .description('create a merge revision joining several heads of one branch')
      .argument('<revisions...>', "revisions to merge, or 'heads'")
      .option('-m, --message <message>', 'revision message')
      .option('-b, --bind <bind>', "bind whose heads 'heads' means")
      .option('--branch-label <label>', 'branch label to give the merge revision (repeatable)', collect)
      .addOption(new Option('--rev-id <id>', 'revision id to use instead of a generated one').argParser(revisionId))
      .addOption(jsonOption())
      .action(async (revisions: string[], opts) => {
        const { mergeCommand } = await import('./commands/merge.js');
        await mergeCommand(ctx(), revisions, opts);
      });
  }

  const lockOption = () => new Option('--lock-timeout <seconds>', 'give up waiting for a migration lock after this long').argParser(seconds);
  const concurrencyOption = () =>
    new Option('--concurrency <n>', 'run up to N binds at the same time where no dependency orders them (default 1)').argParser(positiveInteger);
  const sqlOption = () => new Option('--sql', 'offline: print the SQL instead of running it (no database is opened); targets are [BIND@]FROM:TO ranges');
  const outputOption = () => new Option('--output <dir>', 'with --sql: write one file per bind, DIR/<bind>.sql');

  if (wanted('upgrade')) {
    program
      .command('upgrade')
      .description('upgrade every bind to its head, or to the given targets (db2, db2@+1, <rev>, heads ...)')
      .argument('[targets...]', 'targets (default: head of every bind)')
      .addOption(lockOption())
      .addOption(concurrencyOption())
      .addOption(sqlOption())
      .addOption(outputOption())
      .addOption(jsonOption())
      .action(async (targets: string[], opts) => {
        const { upgradeCommand } = await import('./commands/upgrade.js');
        await upgradeCommand(ctx(), targets, opts);
      });
  }

  if (wanted('downgrade')) {
    program
      .command('downgrade')
      .description('downgrade: `downgrade db2` steps db2 back one revision; also db2@-2, db2@base, <rev>, base')
      .argument('[target]', 'target')
      .option('--all-binds', 'let a revision or label of a branch several binds share act on every one of them')
      .addOption(lockOption())
      .addOption(concurrencyOption())
      .addOption(sqlOption())
      .addOption(outputOption())
      .addOption(jsonOption())
      // More than one target is refused by `downgradeTarget`, which says how to write `db2 -1` (or `-1 db2`).
      .allowExcessArguments()
      .action(async (_target: string | undefined, opts, command: Command) => {
        const { downgradeCommand, downgradeTargetOf } = await import('./commands/downgrade.js');
        const context = ctx();
        await downgradeCommand(context, await downgradeTargetOf(context, command.args), opts);
      });
  }

  if (wanted('current')) {
    program
      .command('current')
      .description('show the current revision of each bind (an unreachable or misconfigured bind is marked)')
      .argument('[bind]', 'only this bind')
      .option('-v, --verbose', 'more detail')
      .option('--check-heads', 'exit 1 unless every bind is on all its branch\'s heads (as Alembic\'s current --check-heads)')
      .addOption(jsonOption())
      .action(async (bind: string | undefined, opts) => {
        const { currentCommand } = await import('./commands/current.js');
        if (!(await currentCommand(ctx(), bind, opts))) exitCode = ExitCode.error;
      });
  }

  if (wanted('status')) {
    program
      .command('status')
      .description('show each bind: dialect, current revision, head and pending revisions (an unreachable or misconfigured bind is marked)')
      .argument('[binds...]', 'only these binds')
      .addOption(jsonOption())
      .action(async (binds: string[], opts) => {
        const { statusCommand } = await import('./commands/status.js');
        if (!(await statusCommand(ctx(), binds, opts))) exitCode = ExitCode.error;
      });
  }

  if (wanted('history')) {
    program
      .command('history')
      .description('list revisions, newest first')
      .argument('[bind]', "only this bind's branch")
      .option('-r, --rev-range <range>', "range A:B (either side optional; 'current' is where the bind stands, e.g. 'current:')")
      .option('-v, --verbose', 'more detail')
      .option('-i, --indicate-current', 'mark the current revision of each bind (an unreachable or misconfigured bind is marked)')
      .addOption(jsonOption())
      .action(async (bind: string | undefined, opts) => {
        const { historyCommand } = await import('./commands/history.js');
        if (!(await historyCommand(ctx(), bind, { rev: opts.revRange, verbose: opts.verbose, indicateCurrent: opts.indicateCurrent, json: opts.json }))) exitCode = ExitCode.error;
      });
  }

  if (wanted('heads')) {
    program
      .command('heads')
      .description('show the head revisions of every branch')
      .option('-v, --verbose', 'more detail')
      .option('--resolve-dependencies', 'treat depends-on as down revisions: leave out a head that another branch depends on')
      .addOption(jsonOption())
      .action(async (opts) => {
        const { headsCommand } = await import('./commands/heads.js');
        await headsCommand(ctx(), opts);
      });
  }

  if (wanted('branches')) {
    program
      .command('branches')
      .description('show branch points')
      .option('-v, --verbose', 'more detail')
      .addOption(jsonOption())
      .action(async (opts) => {
        const { branchesCommand } = await import('./commands/branches.js');
        await branchesCommand(ctx(), opts);
      });
  }

  if (wanted('show')) {
    program
      .command('show')
      .description('show the revisions a target names (a revision, head, heads, base, db2@head, current ...)')
      .argument('<rev>', 'revision id, prefix or target')
      .addOption(jsonOption())
      .action(async (rev: string, opts) => {
        const { showCommand } = await import('./commands/show.js');
        await showCommand(ctx(), rev, opts);
      });
  }

  if (wanted('stamp')) {
    program
      .command('stamp')
      .description("set the version table(s) to the targets without running revisions")
      .argument('<targets...>', 'targets (head, base, db2@head, <rev> ...)')
      .option('--purge', 'delete every row of the version table first (and forget a revision in flight on MySQL/MariaDB); not with --sql')
      .option('--all-binds', 'let a revision or label of a branch several binds share stamp every one of them')
      .addOption(lockOption())
      .addOption(sqlOption())
      .addOption(outputOption())
      .addOption(jsonOption())
      .action(async (targets: string[], opts) => {
        const { stampCommand } = await import('./commands/stamp.js');
        await stampCommand(ctx(), targets, opts);
      });
  }

  if (wanted('resolve')) {
    program
      .command('resolve')
      .description('record a partly applied revision (MySQL/MariaDB, stopped part way and repaired by hand) as applied or as not applied')
      .argument('<bind>', 'the bind with a revision in flight (see migrate current)')
      .option('--applied', 'the revision is in the database now: record it as applied')
      .option('--not-applied', 'the revision is not in the database: record it as not applied')
      .addOption(lockOption())
      .action(async (bind: string, opts: { applied?: boolean; notApplied?: boolean }, cmd: Command) => {
        if (!!opts.applied === !!opts.notApplied) cmd.error(`resolve ${bind}: give exactly one of --applied (the revision is in the database now) or --not-applied (it is not)`);
        const { resolveCommand } = await import('./commands/resolve.js');
        await resolveCommand(ctx(), bind, opts);
      });
  }

  if (wanted('tui')) {
    program
      .command('tui')
      .description('open the terminal UI: pick binds, review pending revisions and their SQL, upgrade or downgrade')
      .addOption(lockOption())
      .action(async (opts) => {
        const { tuiCommand } = await import('./commands/tui.js');
        exitCode = await tuiCommand(ctx(), opts);
      });
  }

  try {
    if (argv.length === 0) {
      // On a terminal, `migrate` alone opens the TUI; otherwise it prints the help.
      if (process.stdin.isTTY && process.stdout.isTTY && !options.output) {
        loadEnvFile(cwd, undefined, undefined);
        const { tuiCommand } = await import('./commands/tui.js');
        return await tuiCommand(ctx());
      }
      program.outputHelp();
      return ExitCode.ok;
    }
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    const code = exitCodeOf(error);
    if (error instanceof CommanderError) {
      // Commander has printed its one ERROR line (outputError); --help and --version exit 0.
      if (json && code !== ExitCode.ok) printJson(output, { error: { message: error.message.replace(/^error:\s*/i, ''), code: 'USAGE' } });
      return code;
    }
    if (error instanceof InterruptedError) {
      for (const line of formatInterrupted(error)) output.err(line);
      const stale = staleTypesOf(error);
      if (stale) output.err(staleTypesLine(stale));
    }
    else if (error instanceof RunError) for (const line of formatRunError(error, raiseErr)) output.err(line);
    else if (error instanceof UnreachableBindsError) for (const line of formatUnreachable(error, raiseErr)) output.err(line);
    else if ((error instanceof MigrationError || error instanceof LockTimeoutError) && error.relative.length) for (const line of formatRetried(error, raiseErr)) output.err(line);
    else output.err(formatError(error, raiseErr));
    if (json) printJson(output, errorJson(error));
    return code;
  }
}
