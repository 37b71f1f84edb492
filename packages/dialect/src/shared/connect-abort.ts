/**
 * Ends a driver's connect when its signal (`ConnectOptions.signal`) is aborted, instead of letting
 * it wait out its connect timeout on a host that does not answer (a black-holed address, a server
 * that accepts and never completes the handshake): the driver registers how to end what it opened
 * ({@link onAbort}: destroy the socket), and races what it awaits against the signal
 * ({@link race}), which then rejects at once with {@link error} (an `Error` whose `code` is
 * `'ABORTED'`, which core reports as an `InterruptedError`). Without a signal it does nothing.
 * Call {@link dispose} once the connect has ended (resolved or failed): a later abort no longer
 * concerns the connection.
 * @example
 * ```ts
 * import { createConnection } from 'node:net';
 * const controller = new AbortController(); // its signal: ConnectOptions.signal
 * const abort = new ConnectAbort('db3', controller.signal);
 * try {
 *   const socket = createConnection(3306, '10.255.255.1');
 *   abort.onAbort(() => socket.destroy());
 *   await abort.race(new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject)));
 * } catch (e) {
 *   if (abort.aborted) throw abort.error(); // code 'ABORTED'
 *   throw e;
 * } finally {
 *   abort.dispose();
 * }
 * ```
 */
export class ConnectAbort {
  readonly #bind: string;
  readonly #signal: AbortSignal | undefined;
  readonly #ends: (() => unknown)[] = [];
  readonly #stopped: Promise<never>;
  #reject: (error: Error) => void = () => undefined;
  readonly #abort = (): void => {
    for (const end of this.#ends.splice(0)) ConnectAbort.#call(end);
    this.#reject(this.error());
  };

  /**
   * @param bind - the bind connecting, for the error's message.
   * @param signal - the command's signal (`ConnectOptions.signal`); `undefined`: never aborted.
   */
  constructor(bind: string, signal: AbortSignal | undefined) {
    this.#bind = bind;
    this.#signal = signal;
    this.#stopped = new Promise<never>((_, reject) => (this.#reject = reject));
    this.#stopped.catch(() => undefined); // awaited only through race()
    if (signal?.aborted) this.#abort();
    else signal?.addEventListener('abort', this.#abort, { once: true });
  }

  /** Whether the signal has been aborted. */
  get aborted(): boolean {
    return this.#signal?.aborted === true;
  }

  /** Calls `end` when the signal is aborted (at once when it already is). Its errors are ignored. */
  onAbort(end: () => unknown): void {
    if (this.aborted) ConnectAbort.#call(end);
    else this.#ends.push(end);
  }

  /** Settles as `work` does, or rejects with {@link error} as soon as the signal is aborted. */
  race<T>(work: Promise<T>): Promise<T> {
    return this.#signal ? Promise.race([work, this.#stopped]) : work;
  }

  /** What the connect rejects with once aborted: `code` `'ABORTED'`, naming the bind. */
  error(): Error {
    return Object.assign(new Error(`[${this.#bind}] stopped connecting: the command was asked to stop.`), { code: 'ABORTED' });
  }

  /** Stops watching the signal (the connect has ended). */
  dispose(): void {
    this.#signal?.removeEventListener('abort', this.#abort);
    this.#ends.length = 0;
  }

  static #call(end: () => unknown): void {
    try {
      const result = end();
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      /* ending what failed to open must not hide the abort */
    }
  }
}
