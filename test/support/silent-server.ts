import { createServer, type Socket } from 'node:net';

/**
 * A local TCP server that accepts connections and never answers: a database host whose handshake
 * never completes (a black-holed address, a server hung at start-up), for the tests of what ends
 * a connect in progress. No database protocol is spoken, nor mocked: a client waits for a server
 * greeting (MySQL) or an answer to its startup message (PostgreSQL) that never comes.
 */
export interface SilentServer {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** Resolves with the next connection it accepts (one accepted before the call counts). */
  accepted(): Promise<Socket>;
  /** How many connections it has accepted so far. */
  readonly count: number;
  /** Destroys the connections it holds and stops listening. */
  close(): Promise<void>;
}

/**
 * A local TCP server for one test, on 127.0.0.1 and a free port: `onSocket` handles each connection
 * it accepts (socket errors are ignored); `close` destroys the connections it holds and stops it.
 */
export async function tcpServer(onSocket: (socket: Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts a {@link SilentServer}. */
export async function silentServer(): Promise<SilentServer> {
  const sockets: Socket[] = [];
  const waiting: ((socket: Socket) => void)[] = [];
  let taken = 0;
  const server = await tcpServer((socket) => {
    // What the client sends (PostgreSQL's startup message) is read and dropped: unread, it would
    // keep the client's closing from surfacing here ('end', then 'close').
    socket.resume();
    sockets.push(socket);
    const next = waiting.shift();
    if (next) {
      taken++;
      next(socket);
    }
  });
  return {
    port: server.port,
    accepted: () =>
      new Promise<Socket>((resolve) => {
        if (taken < sockets.length) resolve(sockets[taken++]!);
        else waiting.push(resolve);
      }),
    get count() {
      return sockets.length;
    },
    close: server.close,
  };
}

/** Resolves once `socket` has closed (at once when it already has). */
export function closed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/**
 * Settles as `work` does, or resolves with the string `'still waiting after <ms> ms'` after `ms`:
 * a generous bound for what must end long before a timeout it would otherwise wait out (a 60 s
 * `connectTimeout`), never a measure of speed.
 */
export function settledWithin<T>(ms: number, work: Promise<T>): Promise<T | string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`still waiting after ${ms} ms`), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
