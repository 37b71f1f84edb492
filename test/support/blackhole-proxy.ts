// A TCP proxy between `migrate` and a real local server whose path can die silently (a NAT or
// firewall dropping packets: no FIN, no RST): the tests of what a run does with a connection
// that stops answering. No database protocol is spoken, nor mocked: bytes are forwarded as they
// are until the path is black-holed.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to a server that can be black-holed: {@link blackhole} stops forwarding on every
 * connection (both directions; neither socket is closed or read from again); connections
 * accepted afterwards are left unanswered (the whole path is dead: a firewall dropping packets)
 * or, with `newConnections: 'forward'`, forwarded (a NAT that lost the state of the old ones).
 */
export class BlackholeProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #pairs: { client: Socket; upstream: Socket }[] = [];
  /** Ports of the accepted connections, as `migrate`'s side sees them (their local ports). */
  readonly clientPorts: number[] = [];
  #dark = false;
  #forwardNew = false;
  port = 0;

  constructor(readonly targetPort: number) {
    this.#server = createServer((client) => this.#accept(client));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
    return this;
  }

  #accept(client: Socket): void {
    this.#sockets.add(client);
    client.on('error', () => undefined);
    client.on('close', () => this.#sockets.delete(client));
    if (client.remotePort !== undefined) this.clientPorts.push(client.remotePort);
    if (this.#dark && !this.#forwardNew) {
      client.pause(); // the path is dead: nothing is ever answered
      return;
    }
    const upstream = createConnection(this.targetPort, '127.0.0.1');
    this.#sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => this.#sockets.delete(upstream));
    client.pipe(upstream);
    upstream.pipe(client);
    this.#pairs.push({ client, upstream });
  }

  /** Stops forwarding, in both directions, on every connection; a new one is left unanswered, or forwarded. */
  blackhole(options: { newConnections?: 'hang' | 'forward' } = {}): void {
    this.#dark = true;
    this.#forwardNew = options.newConnections === 'forward';
    for (const { client, upstream } of this.#pairs.splice(0)) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** The URL `url` with its host and port replaced by the proxy's. */
export function viaProxy(url: string, proxy: BlackholeProxy): string {
  const u = new URL(url);
  u.host = `127.0.0.1:${proxy.port}`;
  return u.toString();
}
