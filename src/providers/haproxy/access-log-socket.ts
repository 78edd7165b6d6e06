// One load balancer's access log socket in the haproxy provider: its HAProxy writes each line into an
// in-memory ring and forwards the ring to this UNIX stream socket, in batches, framed by octet counting
// (render-access-log.ts). The lines wait in a bounded ring here until the agent takes them. Lines logged while
// no agent listens stay in HAProxy's ring (bounded) and arrive once the next agent opens this socket.
import net from 'node:net';
import type { AccessLogBatch } from '../../model/provider-driver.ts';
import { AccessLogRing } from '../access-log-ring.ts';
import { listenPrivateSocket } from './listen-private-socket.ts';
import { OctetCountDecoder } from './octet-count-decoder.ts';

export class AccessLogSocket {
  readonly #server: net.Server;
  readonly #ring = new AccessLogRing();
  /** HAProxy's open connections (an old worker's and a new one's during a reload), ended by close() */
  readonly #sockets = new Set<net.Socket>();

  private constructor(server: net.Server) {
    this.#server = server;
    server.on('connection', (socket) => this.#read(socket));
    // It serves the HAProxy while the provider lives; it does not keep a process alive on its own.
    server.unref();
  }

  /** Listens on `path` (mode 0600: only this agent's user may write lines), replacing a stale socket file. */
  static async open(path: string): Promise<AccessLogSocket> {
    const server = net.createServer();
    await listenPrivateSocket(server, path);
    return new AccessLogSocket(server);
  }

  /** Takes up to `max` lines (oldest first) and the count the ring dropped since the last take. */
  drain(max: number): AccessLogBatch | undefined {
    return this.#ring.drain(max);
  }

  close(): void {
    this.#server.close();
    for (const socket of this.#sockets) socket.destroy();
  }

  #read(socket: net.Socket): void {
    const decoder = new OctetCountDecoder();
    const ring = this.#ring;
    socket.unref();
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('data', (chunk) => {
      try {
        for (const line of decoder.push(chunk)) ring.push(line);
      } catch {
        socket.destroy(); // a broken stream: HAProxy reconnects and starts a new one
      }
    });
    socket.on('error', () => {}); // HAProxy reloading or stopping closes its end; nothing to report
  }
}
