import { ConnectionLostError } from './connection-lost-error.js';

/**
 * What a server says, asked on a short connection of its own, about the session of a connection
 * that waits for the answer to a statement. The side connection must first show that it reached
 * the same server (its identity as read on the session at connect) and that the session it asks
 * about is the same one (the session's id and its start, or its user and database); only then may
 * it answer `'gone'` or `'finished'`:
 * - `'running'`: the server still runs a statement for the session (the answer may still come);
 * - `'finished'`: the session has been idle on the server for {@link FINISHED_AFTER_SECONDS}
 *   seconds or more (the answer was sent and never arrived);
 * - `'gone'`: the server has no such session;
 * - `'unverified'`: the side connection reached another server (a proxy or pooler in between,
 *   another node of a cluster), or could not see the session's identity: nothing is concluded.
 */
export type SessionState = 'running' | 'finished' | 'gone' | 'unverified';

/**
 * How long, in seconds, a session must have been idle on its server, while its connection still
 * waits for an answer, before the answer is taken as lost ({@link SessionState} `'finished'`):
 * long enough that an answer on its way is not mistaken for a lost one.
 * @example
 * ```ts
 * const lost = (idleSeconds: number) => idleSeconds >= FINISHED_AFTER_SECONDS;
 * lost(6); // true
 * ```
 */
export const FINISHED_AFTER_SECONDS = 5;

/**
 * A liveness probe's failure that shows the server cannot be reached at all: connecting timed out
 * or was refused, the host or network is unreachable, the connection was reset while it was being
 * opened, or the probe got no answer within its overall bound. Only this failure of a probe makes
 * {@link watchLiveness} give a connection up; any other (a login refused after a password
 * rotation, too many connections, an SQL error) leaves it waiting.
 * @example
 * ```ts
 * const error = new ServerUnreachableError('no answer to the connect within 10 s');
 * livenessVerdict({ error }); // 'the server could not be reached while the run was stopping (no answer to the connect within 10 s)'
 * ```
 */
export class ServerUnreachableError extends Error {
  /**
   * @param message - what showed the server unreachable.
   * @param options - the driver's error, as `cause`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerUnreachableError';
  }
}

/** Node's error codes of a connect that cannot reach the server (refused, timed out, no route, reset). */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * Opens a probe's side connection: `connect`, bounded by `timeoutMs`. A connect that is not
 * answered in time, or fails with a network error (`ECONNREFUSED`, `ETIMEDOUT`, `EHOSTUNREACH`,
 * `ENETUNREACH`, `ECONNRESET`), rejects with a {@link ServerUnreachableError}; any other failure
 * (the server answered: a login refused, too many connections) rejects with the driver's error.
 * @param connect - the driver's connect in progress.
 * @param timeoutMs - how long it may take, in milliseconds.
 * @returns resolves once connected.
 * @throws {@link ServerUnreachableError}, or the driver's error as above.
 * @example
 * ```ts
 * import pg from 'pg';
 * const side = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/app' });
 * await connectOrUnreachable(side.connect(), 10_000);
 * await side.end();
 * ```
 * @internal The dialects' probes'.
 */
export async function connectOrUnreachable(connect: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ServerUnreachableError(`no answer to the connect within ${seconds(timeoutMs)} s`)), timeoutMs)));
  connect.catch(() => undefined); // late: its own failure follows the one reported
  try {
    await Promise.race([connect, late]);
  } catch (error) {
    if (error instanceof ServerUnreachableError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) throw new ServerUnreachableError(error instanceof Error ? error.message : String(error), { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** What one probe of {@link watchLiveness} came to: the server's answer, or the probe's failure. */
export type ProbeOutcome = { readonly state: SessionState } | { readonly error: unknown };

/**
 * The decision of {@link watchLiveness} on one probe: why the connection is to be given up, or
 * `undefined` to keep waiting. Given up only on `'gone'` or `'finished'` (which a probe answers
 * only for the same session on the same server) and on a {@link ServerUnreachableError}; an
 * `'unverified'` or `'running'` answer and every other failure keep the connection waiting.
 * @param outcome - the probe's answer or failure.
 * @returns the reason, for the {@link ConnectionLostError}, or `undefined`.
 * @example
 * ```ts
 * livenessVerdict({ state: 'gone' }); // 'the server no longer has its session'
 * livenessVerdict({ state: 'unverified' }); // undefined: a proxy in between, keep waiting
 * livenessVerdict({ error: new Error('password authentication failed') }); // undefined
 * ```
 */
export function livenessVerdict(outcome: ProbeOutcome): string | undefined {
  if ('state' in outcome) {
    if (outcome.state === 'gone') return 'the server no longer has its session';
    if (outcome.state === 'finished') return 'the server finished the statement in flight, but its answer never arrived';
    return undefined;
  }
  const { error } = outcome;
  if (error instanceof ServerUnreachableError) return `the server could not be reached while the run was stopping (${error.message})`;
  return undefined;
}

/** What {@link watchLiveness} watches. */
export interface LivenessWatchOptions {
  /** The connection's bind, for the error. */
  readonly bind: string;
  /** The statement in flight on the connection (sent, not answered), as any object that tells one from the next; `undefined` when none is. */
  readonly inFlight: () => unknown;
  /**
   * Asks the server what the session does ({@link SessionState}); rejects with a
   * {@link ServerUnreachableError} when the server cannot be reached (see
   * {@link connectOrUnreachable}), with any other error when it answered otherwise.
   */
  readonly probe: () => Promise<SessionState>;
  /** Destroys the connection's socket: what is in flight rejects, and the connection is lost. */
  readonly abandon: (error: ConnectionLostError) => void;
  /** How long connecting a probe may take, and its query, in milliseconds each (the bind's connect timeout). */
  readonly timeoutMs: number;
  /** Milliseconds between probes while a statement stays in flight (default 2000). */
  readonly intervalMs?: number;
  /** Called with each probe's outcome and the decision on it (tests, diagnostics). */
  readonly onProbe?: (outcome: ProbeOutcome, verdict: string | undefined) => void;
}

/**
 * Watches a server connection of a run that was asked to stop (see
 * `DialectConnection.watchForLoss`): while a statement is in flight on it, asks the server every
 * `intervalMs` (on a short connection of its own, bounded by `timeoutMs`) whether it still runs
 * that statement for the session. The connection is abandoned (`abandon`, with a
 * {@link ConnectionLostError}) when the same statement is still in flight and the probe showed
 * it lost ({@link livenessVerdict}): the server could not be reached at all, or, asked about the
 * very session (same server, same session), no longer has it or finished the statement while its
 * answer never arrived. A statement the server still runs, or whose session the probe could not
 * identify (a pooler or proxy in between), or a probe that failed otherwise (a login refused, too
 * many connections) is waited for, however long (the run stops after it, as asked). Each probe
 * starts once the one before ended; nothing runs while no statement is in flight.
 * @param options - what to watch and how to ask the server.
 * @returns a function that stops the watch (call it when the run ends).
 * @example
 * ```ts
 * const stop = watchLiveness({
 *   bind: 'db2',
 *   inFlight: () => undefined, // the connection's statement in flight, if any
 *   probe: async () => 'running', // ask the server on a side connection
 *   abandon: (error) => console.error(error.message), // destroy the socket
 *   timeoutMs: 10_000,
 * });
 * stop();
 * ```
 */
export function watchLiveness(options: LivenessWatchOptions): () => void {
  const intervalMs = options.intervalMs ?? 2000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), intervalMs);
    timer.unref?.(); // a watch never keeps the process alive
  };
  const tick = async (): Promise<void> => {
    timer = undefined;
    const statement = options.inFlight();
    if (stopped) return;
    if (statement === undefined) return next();
    let outcome: ProbeOutcome;
    try {
      // Connect and query are bounded by the probe; this bounds a driver that would ignore its timeouts.
      outcome = { state: await bounded(options.probe(), 2 * options.timeoutMs + 1000) };
    } catch (error) {
      outcome = { error };
    }
    if (stopped) return;
    const why = livenessVerdict(outcome);
    options.onProbe?.(outcome, why);
    if (why !== undefined && options.inFlight() === statement) {
      stopped = true;
      options.abandon(new ConnectionLostError(options.bind, why));
      return;
    }
    next();
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** `work`, or a {@link ServerUnreachableError} after `ms` milliseconds. */
function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ServerUnreachableError(`no answer within ${seconds(ms)} s`)), ms)));
  work.catch(() => undefined); // late: its own failure follows the one reported
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Milliseconds as seconds for a message: `10`, `2.5`. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}
