// The member side of a tunnel, once the member switched protocols (101 to an Upgrade such as WebSocket, or
// 2xx to CONNECT, RFC 9110 §9.3.6): bytes go to the client as they come, ends and closes are passed on.
import type net from 'node:net';
import type { MemberConnection, MemberConnectionUser } from './member-connections.ts';

export class TunnelEnd implements MemberConnectionUser {
  readonly #client: net.Socket;
  readonly #member: MemberConnection;

  constructor(client: net.Socket, member: MemberConnection) {
    this.#client = client;
    this.#member = member;
  }

  onConnect(): void {}

  onData(chunk: Buffer): void {
    if (!this.#client.write(Buffer.from(chunk))) this.#member.socket.pause();
  }

  onEnd(): void {
    this.#client.end();
  }

  onClose(): void {
    this.#client.destroy();
  }

  onDrain(): void {
    this.#client.resume();
  }

  onTimeout(): void {}
}
