// Raw TCP (or TLS, for re-encrypting pools) connections to HTTP members and their keep-alive pools
// (HAProxy `http-reuse safe`, reference §12.3): one LIFO list of idle connections per member endpoint (and
// TLS settings), kept across revisions and emptied when the member goes away. A connection has fixed
// listeners that forward to whichever exchange uses it now.
import net from 'node:net';
import tls from 'node:tls';
import { IdleWatch } from '../tcp/idle-watch.ts';

/** Most idle connections kept per member endpoint. */
const MAX_IDLE = 256;

/**
 * One read buffer shared by every member connection (`onread`, Node's net docs): no allocation per read.
 * Reads are delivered one at a time on the event loop, so a chunk is valid until its onData returns; a user
 * copies whatever it keeps or writes elsewhere (a write may complete later).
 */
const READ_BUFFER = Buffer.allocUnsafe(65536);

/** The exchange currently using a connection. */
export interface MemberConnectionUser {
  onConnect(): void;
  /** `chunk` lives in a shared buffer: valid only during this call */
  onData(chunk: Buffer): void;
  /** the member ended its side (a close-delimited body ends here) */
  onEnd(): void;
  onClose(error: Error | undefined): void;
  onDrain(): void;
  onTimeout(): void;
}

export class MemberConnection {
  readonly socket: net.Socket;
  /** the idle list it goes back to */
  readonly key: string;
  /** `address|port`: the member endpoint it serves */
  readonly endpoint: string;
  user: MemberConnectionUser | undefined;
  /** has served an earlier request (a failure may then be a stale keep-alive, safe to retry) */
  reused = false;
  connected = false;
  #error: Error | undefined;
  #timeoutMs = 0;
  #idle: IdleWatch | undefined;

  constructor(
    key: string,
    address: string,
    port: number,
    onClose: (connection: MemberConnection) => void,
    secure?: tls.ConnectionOptions,
  ) {
    this.key = key;
    this.endpoint = MemberConnections.key(address, port);
    const onread = { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => this.#read(n, buf) };
    const options = { host: address, port, noDelay: true, onread };
    // A TLS connection is usable once its handshake is done: a failed one (an unverified member
    // certificate) closes unconnected, which the exchange treats as a connect failure (redispatch, 503).
    const socket = secure ? tls.connect({ ...options, ...secure }) : net.connect(options);
    this.socket = socket;
    socket.on(secure ? 'secureConnect' : 'connect', () => {
      this.connected = true;
      this.user?.onConnect();
    });
    socket.on('end', () => this.user?.onEnd());
    socket.on('error', (error) => {
      this.#error = error;
    });
    socket.on('close', () => {
      this.#idle?.stop();
      onClose(this);
      const user = this.user;
      this.user = undefined;
      user?.onClose(this.#error);
    });
    socket.on('drain', () => this.user?.onDrain());
  }

  /** true keeps reading (flow control uses pause() / resume()). */
  #read(n: number, buf: Uint8Array): boolean {
    this.#idle?.touch();
    if (this.user) this.user.onData((buf as Buffer).subarray(0, n));
    else this.socket.destroy(); // bytes while idle: the member is out of step, never reuse it
    return true;
  }

  /** Writes to the member; every write, like every read, is activity for the idle timeout. */
  write(bytes: Buffer | string, encoding?: BufferEncoding): boolean {
    this.#idle?.touch();
    return encoding ? this.socket.write(bytes, encoding) : this.socket.write(bytes);
  }

  /**
   * `timeout server` as the idle timeout of the member side (reference §12.3); also ends idle reuse. An
   * IdleWatch rather than socket.setTimeout, which Node re-arms on every read and write (tcp/idle-watch.ts).
   */
  setIdleTimeout(ms: number): void {
    if (ms === this.#timeoutMs) return;
    this.#timeoutMs = ms;
    this.#idle?.stop();
    this.#idle = ms > 0 ? new IdleWatch(ms, () => this.#timedOut()) : undefined;
  }

  #timedOut(): void {
    if (this.user) this.user.onTimeout();
    else this.socket.destroy();
  }

  get alive(): boolean {
    return !this.socket.destroyed && this.socket.writable && this.socket.readable;
  }
}

/**
 * The endpoint key of each member object seen: one string per member for as long as the member object lives,
 * rather than a new one built (and hashed for the idle-list lookup) for every request.
 */
const ENDPOINTS = new WeakMap<Readonly<{ address: string; protocolPort: number }>, string>();

export class MemberConnections {
  readonly #idle = new Map<string, MemberConnection[]>();
  #endpoints: ReadonlySet<string> | undefined;

  static key(address: string, port: number): string {
    return `${address}|${port}`;
  }

  /** MemberConnections.key of a member, the same string each time it is asked for the same member. */
  static endpointOf(member: Readonly<{ address: string; protocolPort: number }>): string {
    let key = ENDPOINTS.get(member);
    if (key === undefined) {
      key = MemberConnections.key(member.address, member.protocolPort);
      ENDPOINTS.set(member, key);
    }
    return key;
  }

  /** An idle kept-alive connection to the endpoint, most recently used first. */
  take(key: string): MemberConnection | undefined {
    const list = this.#idle.get(key);
    while (list && list.length > 0) {
      const connection = list.pop() as MemberConnection;
      if (connection.alive) {
        connection.reused = true;
        return connection;
      }
      connection.socket.destroy();
    }
    return undefined;
  }

  /** A new connection (connecting); `secure` makes it TLS, kept idle under `key`. */
  open(
    address: string,
    port: number,
    secure?: Readonly<{ key: string; options: tls.ConnectionOptions }>,
  ): MemberConnection {
    const key = secure?.key ?? MemberConnections.key(address, port);
    return new MemberConnection(key, address, port, (c) => this.#forget(c), secure?.options);
  }

  /** Takes back a connection whose exchange ended cleanly: kept idle, or closed if not wanted any more. */
  give(connection: MemberConnection): void {
    connection.user = undefined;
    const { key } = connection;
    if (!connection.alive || (this.#endpoints && !this.#endpoints.has(connection.endpoint))) {
      connection.socket.destroy();
      return;
    }
    let list = this.#idle.get(key);
    if (!list) {
      list = [];
      this.#idle.set(key, list);
    }
    if (list.length >= MAX_IDLE) connection.socket.destroy();
    else list.push(connection);
  }

  /**
   * Keeps the pools of `endpoints` (`address|port`); the others close their idle connections now and their
   * busy ones when the exchange ends, so in-flight requests are not cut.
   */
  retain(endpoints: ReadonlySet<string>): void {
    this.#endpoints = endpoints;
    for (const [key, list] of this.#idle) {
      if (list.length > 0 && endpoints.has(list[0].endpoint)) continue;
      this.#idle.delete(key);
      for (const connection of list) connection.socket.destroy();
    }
  }

  close(): void {
    this.#endpoints = new Set();
    for (const list of this.#idle.values()) for (const connection of list) connection.socket.destroy();
    this.#idle.clear();
  }

  #forget(connection: MemberConnection): void {
    const list = this.#idle.get(connection.key);
    const index = list?.indexOf(connection) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
  }
}
