// The access log record of one HTTP/1 request on a client connection: what is known when it is parsed
// (time, request line, the connection's byte counts so far), completed into one line when it ends.
import type net from 'node:net';
import type { ClientKey } from '../balancing/lb-algorithms.ts';
import type { AccessLogEntries } from '../logs/access-log-entries.ts';
import type { ClientCertFacts } from '../tls/client-cert-facts.ts';
import type { RequestHead } from './http1-head.ts';

export class RequestLog {
  readonly #ring: AccessLogEntries;
  readonly #listenerId: string;
  readonly #client: ClientKey;
  readonly #socket: net.Socket;
  readonly #start = Date.now();
  readonly #request: string;
  readonly #read: number;
  readonly #written: number;

  constructor(
    ring: AccessLogEntries,
    listenerId: string,
    client: ClientKey,
    socket: net.Socket,
    head: RequestHead | undefined,
    /** the connection's bytesRead when the previous request ended: this one's head was read since */
    readMark: number,
  ) {
    this.#ring = ring;
    this.#listenerId = listenerId;
    this.#client = client;
    this.#socket = socket;
    // HAProxy logs `<BADREQ>` for a request it could not parse (HAProxy manual 8.2.3, %r).
    this.#request = head ? `${head.method} ${head.target} HTTP/1.${head.minor}` : '<BADREQ>';
    this.#read = readMark;
    this.#written = socket.bytesWritten;
  }

  /**
   * Writes the line: the bytes are those the connection moved for this request (%B, %U); returns the
   * connection's bytesRead, the next request's mark.
   */
  end(
    status: number | undefined,
    poolId: string | undefined,
    memberId: string | undefined,
    tls: ClientCertFacts | undefined,
    termination: string,
  ): number {
    const socket = this.#socket;
    const read = socket.bytesRead;
    this.#ring.push({
      listenerId: this.#listenerId,
      clientAddress: this.#client.address,
      clientPort: this.#client.port,
      start: this.#start,
      request: this.#request,
      status,
      bytesOut: socket.bytesWritten - this.#written,
      bytesIn: read - this.#read,
      sslVerify: tls?.verify,
      sslSubject: tls?.dn ?? '',
      poolId,
      memberId,
      end: Date.now(),
      termination,
    });
    return read;
  }
}
