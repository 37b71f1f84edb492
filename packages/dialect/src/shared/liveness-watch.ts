import { ConnectionLostError } from './connection-lost-error.js';

/**
 * What a server says, asked on a short connection of its own, about the session of a connection
 * that waits for the answer to a statement: `'running'`, it still runs a statement for the session
 * (the answer may still come); `'finished'`, the session has been idle on the server for a few
 * seconds ({@link FINISHED_AFTER_SECONDS}: the answer was sent and never arrived); `'gone'`, the server has no such session.
 */
export type SessionState = 'running' | 'finished' | 'gone';

/**
 * How long, in seconds, a session must have been idle on its server, while its connection still
 * waits for an answer, before the answer is taken as lost ({@link SessionState} `'finished'`):
 * long enough that an answer on its way is not mistaken for a lost one.
 */
export const FINISHED_AFTER_SECONDS = 5;

/** What {@link watchLiveness} watches. */
export interface LivenessWatchOptions {
  /** The connection's bind, for the error. */
  readonly bind: string;
  /** The statement in flight on the connection (sent, not answered), as any object that tells one from the next; `undefined` when none is. */
  readonly inFlight: () => unknown;
  /** Asks the server what the session does ({@link SessionState}); rejects when the server cannot be reached. */
  readonly probe: () => Promise<SessionState>;
  /** Destroys the connection's socket: what is in flight rejects, and the connection is lost. */
  readonly abandon: (error: ConnectionLostError) => void;
  /** How long one probe may take, connecting included, in milliseconds (the bind's connect timeout). */
  readonly timeoutMs: number;
  /** Milliseconds between probes while a statement stays in flight (default 2000). */
  readonly intervalMs?: number;
}

/**
 * Watches a server connection of a run that was asked to stop (see
 * `DialectConnection.watchForLoss`): while a statement is in flight on it, asks the server every
 * `intervalMs` (on a short connection of its own, bounded by `timeoutMs`) whether it still runs
 * that statement for the session. The connection is abandoned (`abandon`, with a
 * {@link ConnectionLostError}) when the server cannot be reached, no longer has the session, or
 * finished the statement while its answer never arrived, and the same statement is still in
 * flight. A statement the server still runs is waited for, however long (the run stops after it,
 * as asked). Each probe starts once the one before ended; nothing runs while no statement is in
 * flight.
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
    let why: string | undefined;
    try {
      const state = await bounded(options.probe(), options.timeoutMs + 1000);
      if (state === 'gone') why = 'the server no longer has its session';
      else if (state === 'finished') why = 'the server finished the statement in flight, but its answer never arrived';
    } catch (error) {
      why = `the server could not be reached while the run was stopping (${error instanceof Error ? error.message : String(error)})`;
    }
    if (stopped) return;
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

/** `work`, or a rejection after `ms` milliseconds. */
function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
