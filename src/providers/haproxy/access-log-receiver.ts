// The haproxy provider's access log socket: every HAProxy it runs sends its lines here (UDP on loopback,
// `log 127.0.0.1:<port> format raw`: one unframed line per datagram, render-access-log.ts). A line starts
// with its load balancer's id; the rest goes into that load balancer's bounded ring until the agent takes it.
import dgram from 'node:dgram';
import type { AccessLogBatch } from '../../model/provider-driver.ts';
import { AccessLogRing } from '../access-log-ring.ts';

export class AccessLogReceiver {
  readonly #socket: dgram.Socket;
  readonly #rings = new Map<string, AccessLogRing>();
  /** `127.0.0.1:<port>`, for the rendered `log` line */
  readonly target: string;

  private constructor(socket: dgram.Socket) {
    this.#socket = socket;
    this.target = `127.0.0.1:${socket.address().port}`;
    socket.on('message', (message) => this.#line(message.toString('utf8')));
    // A datagram socket has no peer to fail; an error here must not take the agent down.
    socket.on('error', () => {});
    // It serves the HAProxy processes while the provider lives; it does not keep a process alive on its own.
    socket.unref();
  }

  static open(): Promise<AccessLogReceiver> {
    const socket = dgram.createSocket('udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve(new AccessLogReceiver(socket));
      });
    });
  }

  /** Lines of `loadBalancerId` are kept from now on. */
  serve(loadBalancerId: string): void {
    if (!this.#rings.has(loadBalancerId)) this.#rings.set(loadBalancerId, new AccessLogRing());
  }

  forget(loadBalancerId: string): void {
    this.#rings.delete(loadBalancerId);
  }

  drain(loadBalancerId: string, max: number): AccessLogBatch | undefined {
    return this.#rings.get(loadBalancerId)?.drain(max);
  }

  close(): void {
    this.#socket.close();
  }

  #line(text: string): void {
    const space = text.indexOf(' ');
    if (space <= 0) return;
    const ring = this.#rings.get(text.slice(0, space));
    if (!ring) return; // not a load balancer served here (a line from before a removal)
    const end = text.endsWith('\n') ? text.length - 1 : text.length;
    ring.push(text.slice(space + 1, end));
  }
}
