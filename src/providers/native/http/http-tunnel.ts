// The member side of a tunnel, once the member switched protocols (101 to an Upgrade such as WebSocket, or
// 2xx to CONNECT, RFC 9110 §9.3.6): bytes go to the client as they come, ends and closes are passed on, and
// the tunnel closes when it stays silent both ways for `timeout client` (or `timeout server`, see below).
import type net from 'node:net';
import type { MemberConnection, MemberConnectionUser } from '../members/member-connections.ts';

export class TunnelEnd implements MemberConnectionUser {
  readonly #client: net.Socket;
  readonly #member: MemberConnection;

  constructor(client: net.Socket, member: MemberConnection) {
    this.#client = client;
    this.#member = member;
    // Octavia renders no `timeout tunnel`, only `timeout client` / `timeout server` (frontend_macro and
    // backend_macro in https://opendev.org/openstack/octavia/src/branch/master/octavia/common/jinja/haproxy/combined_listeners/templates/macros.j2),
    // so HAProxy keeps them on an upgraded connection, and re-arms a side's read timeout whenever it writes
    // to that side unless `option independent-streams` is set
    // (https://docs.haproxy.org/2.6/configuration.html#4.2-option%20independent-streams): the tunnel ends
    // after `timeout client` of silence in both directions. The client socket's own timeout (set by the
    // listener binding) is re-armed by Node on every read and every write of that socket, and every
    // tunnelled byte is one or the other: its 'timeout' event is that rule. The session ignores the event
    // once tunnelled; this listener closes both ends.
    client.on('timeout', () => this.onTimeout());
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

  /** Silence both ways for the client's (or, when the member side keeps one, the member's) idle timeout. */
  onTimeout(): void {
    this.#member.socket.destroy();
    this.#client.destroy();
  }
}
