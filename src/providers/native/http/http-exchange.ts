// One request forwarded to a pool member on raw sockets, its response relayed back. Connect failures retry
// on another member up to 3 times (`retries 3` + `option redispatch`, reference §12.1), a stale kept-alive
// connection is retried for a body-less request; `timeout server` is the member idle timeout (§12.3).
import type { DesiredMember } from '../../../model/desired-state.ts';
import { CONNECT_RETRIES } from '../members/member-connect.ts';
import {
  type MemberConnection,
  MemberConnections,
  type MemberConnectionUser,
} from '../members/member-connections.ts';
import { memberConnectOptions, memberTlsKey } from '../tls/member-tls.ts';
import type { ExchangeOwner, ExchangeRequest } from './http-exchange-contract.ts';
import { ResponseReader, type ResponseSink } from './http-response-reader.ts';
import { withHead } from './http-rewrite.ts';
import type { ResponseHead } from './http1-head.ts';

export class HttpExchange implements MemberConnectionUser, ResponseSink {
  readonly #r: ExchangeRequest;
  readonly #owner: ExchangeOwner;
  /** members that refused a connection; made on the first refusal (most exchanges never need it) */
  #tried: Set<string> | undefined;
  readonly #response: ResponseReader;
  #retry = 0;
  #member: DesiredMember | undefined;
  #connection: MemberConnection | undefined;
  /** the connection's byte counts when this exchange took it: what it moved since is this exchange's */
  #readAt = 0;
  #writtenAt = 0;
  #connectTimer: NodeJS.Timeout | undefined;
  /** body bytes waiting for the connection */
  #queue: Buffer[] = [];
  #queued = 0;
  #sent = false;
  #bodyDone = false;
  #over = false;
  /** the status and member of the response relayed, for the access log */
  #status: number | undefined;
  #servedBy: string | undefined;

  constructor(request: ExchangeRequest, owner: ExchangeOwner, firstBody: Buffer, bodyDone: boolean) {
    this.#r = request;
    this.#owner = owner;
    this.#response = new ResponseReader(request.method, request.minor, request.upgrade, this);
    if (firstBody.length > 0) this.#queue.push(firstBody);
    this.#queued = firstBody.length;
    this.#bodyDone = bodyDone;
  }

  /** The status of the response relayed to the client (undefined before its head). */
  get status(): number | undefined {
    return this.#status;
  }

  /** The member that answered (undefined before a response head). */
  get servedBy(): string | undefined {
    return this.#servedBy;
  }

  get poolId(): string {
    return this.#r.pool.pool.id;
  }

  /** Picks a member and sends; may answer at once (503 when no member can serve). */
  start(): void {
    this.#attempt();
  }

  /** More request body from the client. */
  body(bytes: Buffer, done: boolean): void {
    this.#bodyDone = done;
    if (this.#over) return;
    if (this.#sent && this.#connection) {
      if (!this.#connection.write(bytes)) this.#owner.pauseClient();
      return;
    }
    this.#queue.push(bytes);
    this.#queued += bytes.length;
    if (this.#queued > 65536) this.#owner.pauseClient();
  }

  /** The client wants more: resume the member. */
  clientDrained(): void {
    this.#connection?.socket.resume();
  }

  /** The client went away: the member connection cannot be reused. */
  abort(): void {
    this.#end(false);
  }

  #attempt(): void {
    const r = this.#r;
    const member = r.pool.pick(r.client, {
      exclude: this.#tried,
      preferred: this.#retry === 0 ? r.preferred : undefined,
    });
    if (!member) {
      this.#over = true;
      this.#owner.fail(503);
      return;
    }
    this.#member = member;
    r.pool.acquire(member.id);
    const endpoint = MemberConnections.endpointOf(member);
    const memberTls = r.pool.memberTls;
    const secure = memberTls && {
      key: memberTlsKey(endpoint, memberTls, r.servername),
      options: memberConnectOptions(memberTls, r.servername),
    };
    let connection = r.proxyHeader ? undefined : r.connections.take(secure?.key ?? endpoint);
    if (!connection) {
      connection = r.connections.open(member.address, member.protocolPort, secure);
      if (r.timeouts.memberConnect > 0) {
        const socket = connection.socket;
        this.#connectTimer = setTimeout(() => socket.destroy(), r.timeouts.memberConnect);
      }
    }
    this.#connection = connection;
    this.#readAt = connection.socket.bytesRead;
    this.#writtenAt = connection.socket.bytesWritten;
    connection.user = this;
    connection.setIdleTimeout(r.timeouts.memberData);
    if (connection.connected) this.onConnect();
  }

  // MemberConnectionUser: events of the member connection.

  onConnect(): void {
    clearTimeout(this.#connectTimer);
    const connection = this.#connection;
    if (!connection || this.#sent) return;
    this.#sent = true;
    const { head, proxyHeader } = this.#r;
    const parts = this.#queue;
    this.#queue = [];
    // One write for PROXY header, head and what body arrived: one segment, one syscall.
    const written =
      parts.length === 0 && !proxyHeader
        ? connection.write(head, 'latin1')
        : connection.write(Buffer.concat([...(proxyHeader ? [proxyHeader] : []), withHead(head), ...parts]));
    if (!written) this.#owner.pauseClient();
    else if (this.#queued > 65536) this.#owner.resumeClient();
    this.#queued = 0;
  }

  onDrain(): void {
    this.#owner.resumeClient();
  }

  onData(chunk: Buffer): void {
    this.#response.feed(chunk);
  }

  onEnd(): void {
    if (!this.#response.untilClose) return; // 'close' follows and decides
    this.#end(false);
    this.#owner.finished(false);
  }

  onTimeout(): void {
    if (this.#response.relaying) {
      this.#end(false);
      this.#owner.abort();
    } else this.#failed(504);
  }

  onClose(_error: Error | undefined): void {
    clearTimeout(this.#connectTimer);
    const connection = this.#detach();
    const memberId = this.#member?.id;
    this.#release();
    if (this.#over) return;
    if (this.#response.relaying) {
      this.#over = true;
      this.#owner.abort();
      return;
    }
    const refused = !connection?.connected;
    const stale = !refused && connection?.reused && !this.#response.started && this.#r.bodyless;
    if ((refused || stale) && this.#retry < CONNECT_RETRIES) {
      if (refused && memberId !== undefined) {
        this.#tried ??= new Set();
        this.#tried.add(memberId);
      }
      this.#retry++;
      this.#sent = false;
      this.#attempt();
      return;
    }
    this.#over = true;
    this.#owner.fail(refused ? 503 : 502);
  }

  // ResponseSink: what the response reader hands over.

  relay(bytes: Buffer): boolean {
    const more = this.#owner.write(bytes);
    if (!more) this.#connection?.socket.pause();
    return more;
  }

  relayHead(head: string, body: Buffer, start: number, end: number): boolean {
    const more = this.#owner.writeHead(head, body, start, end);
    if (!more) this.#connection?.socket.pause();
    return more;
  }

  clientHead(head: ResponseHead, untilClose: boolean): string {
    this.#status = head.status;
    this.#servedBy = this.#member?.id;
    return this.#r.clientHead(this.#member as DesiredMember, head, untilClose);
  }

  switched(first: Buffer): void {
    this.#servedBy = this.#member?.id;
    const connection = this.#detach();
    this.#release();
    this.#over = true;
    if (connection) this.#owner.tunnel(connection, first);
  }

  complete(reusable: boolean): void {
    this.#end(reusable && this.#bodyDone && !this.#r.proxyHeader);
    this.#owner.finished(true);
  }

  invalid(): void {
    if (this.#response.relaying) {
      this.#end(false);
      this.#owner.abort();
    } else this.#failed(502);
  }

  /** The member answered something unusable or too late. */
  #failed(status: 502 | 504): void {
    this.#end(false);
    this.#owner.fail(status);
  }

  /** Ends the exchange: the connection goes back to its pool (`reusable`) or is closed. */
  #end(reusable: boolean): void {
    if (this.#over) return;
    this.#over = true;
    clearTimeout(this.#connectTimer);
    const connection = this.#detach();
    this.#release();
    if (!connection) return;
    connection.socket.resume();
    if (reusable) this.#r.connections.give(connection);
    else connection.socket.destroy();
  }

  /** Lets go of the member connection, counting what it carried for this exchange to the member. */
  #detach(): MemberConnection | undefined {
    const connection = this.#connection;
    this.#connection = undefined;
    if (!connection) return undefined;
    connection.user = undefined;
    const { socket } = connection;
    if (this.#member)
      this.#r.pool.transferred(
        this.#member.id,
        socket.bytesWritten - this.#writtenAt,
        socket.bytesRead - this.#readAt,
      );
    return connection;
  }

  #release(): void {
    if (!this.#member) return;
    this.#r.pool.release(this.#member.id);
    this.#member = undefined;
  }
}
