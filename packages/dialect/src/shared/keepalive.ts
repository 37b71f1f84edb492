/**
 * The TCP keepalive idle time of a server connection multidb opens (pg's
 * `keepAliveInitialDelayMillis`, mysql2's `keepAliveInitialDelay`), in milliseconds: after 30 s
 * without traffic the OS starts probing the peer, so a connection whose network path died
 * silently (a NAT or firewall dropping its packets) fails instead of hanging. Node sets this
 * delay; the interval between probes and their number are set by Node's libuv in recent
 * versions, else they are the OS's (Linux: `tcp_keepalive_intvl`, `tcp_keepalive_probes`), and so
 * is the retransmission limit that applies instead while data sent is unacknowledged.
 * @example
 * ```ts
 * import { createConnection } from 'node:net';
 * const socket = createConnection(5432, '127.0.0.1');
 * socket.setKeepAlive(true, KEEPALIVE_INITIAL_DELAY_MS);
 * socket.destroy();
 * ```
 */
export const KEEPALIVE_INITIAL_DELAY_MS = 30_000;
