// What an HTTP exchange (http-exchange.ts) gets from the two sides it joins: the request as the router
// prepared it (member head, persistence, pool) and the client connection it answers on.
import type { DesiredMember } from '../../../model/desired-state.ts';
import type { ClientKey } from '../balancing/lb-algorithms.ts';
import type { PoolRuntime } from '../balancing/pool-runtime.ts';
import type { MemberConnection, MemberConnections } from '../members/member-connections.ts';
import type { ResponseHead } from './http1-head.ts';

/** What the client side offers an exchange. */
export interface ExchangeOwner {
  /** writes to the client; false when its buffer is full (the exchange pauses the member) */
  write(bytes: Buffer): boolean;
  /** writes a final response head (latin1) and body[start, end) after it, in one write; false as `write` */
  writeHead(head: string, body: Buffer, start: number, end: number): boolean;
  pauseClient(): void;
  resumeClient(): void;
  /** the proxy answers itself (no member, member failure): HAProxy's error pages */
  fail(status: 502 | 503 | 504): void;
  /** the response was relayed whole; `keepClient` false when it ended with the member connection */
  finished(keepClient: boolean): void;
  /** the member switched protocols (101, or 2xx to CONNECT): both sides become a byte tunnel */
  tunnel(connection: MemberConnection, first: Buffer): void;
  /** something broke after the response started: the client connection must end at once */
  abort(): void;
}

export type ExchangeRequest = Readonly<{
  method: string;
  /** the request's HTTP/1.x minor version: a 1.0 member connection is not reused */
  minor: number;
  pool: PoolRuntime;
  client: ClientKey;
  /** the member a persistence cookie asks for */
  preferred: string | undefined;
  /** the member's request head (latin1 text), the same whichever member serves */
  head: string;
  /** the request has no body: a stale kept-alive connection can be retried safely */
  bodyless: boolean;
  /** the PROXY header of the client connection, for PROXY pools (their connections are never shared) */
  proxyHeader: Buffer | undefined;
  upgrade: boolean;
  /** the client's TLS SNI name, sent on to re-encrypting pools' members (`sni ssl_fc_sni`) */
  servername: string | undefined;
  timeouts: Readonly<{ memberConnect: number; memberData: number }>;
  connections: MemberConnections;
  /** the response head for the client, with persistence applied for the member that answered */
  clientHead(member: DesiredMember, head: ResponseHead, untilClose: boolean): string;
}>;
