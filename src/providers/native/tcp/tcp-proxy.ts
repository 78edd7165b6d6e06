// TCP-mode sessions (TCP and HTTPS pass-through listeners, reference §12.2 `mode tcp`): one member
// connection per client connection, bytes spliced both ways, half-closes forwarded, `timeout client` /
// `timeout server` as idle timeouts of each side, PROXY protocol header first for PROXY pools.
import type net from 'node:net';
import { unmapIPv4 } from '../cidr-match.ts';
import type { ListenerConfig } from '../listener-config.ts';
import type { AccessLogEntries } from '../logs/access-log-entries.ts';
import { connectMember } from '../members/member-connect.ts';
import { proxyHeaderFor } from '../members/proxy-protocol.ts';
import type { ClientReader } from './client-reader.ts';
import { IdleWatch } from './idle-watch.ts';

/**
 * One read buffer shared by every member socket of TCP sessions (net `onread`): no allocation per read.
 * A chunk is copied before it is written to the client, whose write may complete after the next read.
 */
const READ_BUFFER = Buffer.allocUnsafe(65536);

/**
 * Serves one admitted client connection with the configuration it arrived under; its bytes come through
 * `reader` (they wait there until the member is connected).
 */
export async function proxyTcpConnection(
  client: net.Socket,
  reader: ClientReader,
  config: ListenerConfig,
  log?: AccessLogEntries,
): Promise<void> {
  const pool = config.defaultPool;
  const { timeouts } = config.listener;
  let clientGone = false;
  // The client may half-close before its member is connected (its bytes wait in `reader` meanwhile).
  let clientEnded = false;
  client.on('error', () => client.destroy());
  client.once('close', () => {
    clientGone = true;
  });
  client.once('end', () => {
    clientEnded = true;
  });
  // While the member connects only the client can be idle; `timeout connect` bounds the connect itself.
  let idle = new IdleWatch(timeouts.clientData, () => client.destroy());
  client.once('close', () => idle.stop());
  const clientKey = { address: unmapIPv4(client.remoteAddress ?? ''), port: client.remotePort ?? 0 };
  // One access log line per connection, when it closes (HAProxy logs TCP sessions at their end).
  let served: { poolId: string; memberId: string } | undefined;
  if (log) {
    const start = Date.now();
    client.once('close', () =>
      log.push({
        listenerId: config.listener.id,
        clientAddress: clientKey.address,
        clientPort: clientKey.port,
        start,
        request: undefined,
        status: undefined,
        bytesOut: client.bytesWritten,
        bytesIn: client.bytesRead,
        sslVerify: undefined,
        sslSubject: '',
        poolId: served?.poolId ?? pool?.pool.id,
        memberId: served?.memberId,
        end: Date.now(),
        // `SC`: no member could take the connection; `--`: it ended normally.
        termination: served ? '----' : 'SC--',
      }),
    );
  }
  // Member bytes go straight to the client; those that arrive before the splice is set up wait here.
  const early: Buffer[] = [];
  let member: net.Socket | undefined;
  const onread = {
    buffer: READ_BUFFER,
    callback: (n: number, buf: Uint8Array): boolean => {
      idle.touch();
      const chunk = Buffer.from(buf.subarray(0, n));
      if (!member) early.push(chunk);
      else if (!client.write(chunk)) member.pause();
      return true;
    },
  };
  // No pool or no member that can serve: HAProxy closes the connection.
  const session = pool && (await connectMember(pool, clientKey, timeouts.memberConnect, onread));
  if (!session || !pool) {
    client.destroy();
    return;
  }
  const { socket, release } = session;
  served = { poolId: pool.pool.id, memberId: session.member.id };
  const memberId = session.member.id;
  socket.once('close', () => {
    release();
    pool.transferred(memberId, socket.bytesWritten, socket.bytesRead);
  });
  if (clientGone) {
    socket.destroy();
    return;
  }
  socket.on('error', () => socket.destroy());
  // Every relayed chunk is activity on both sides, so the session is idle when either side's timeout says so.
  idle.stop();
  idle = new IdleWatch(shortest(timeouts.clientData, timeouts.memberData), () => socket.destroy());
  // Either side closing for good (reset, timeout, both directions done) ends the other.
  socket.once('close', () => client.destroy());
  client.once('close', () => socket.destroy());
  if (pool.proxyProtocol) socket.write(proxyHeaderFor(client, pool.proxyProtocol));
  splice(client, reader, socket, idle, clientEnded);
  member = socket;
  for (const chunk of early) client.write(chunk);
}

/** The shorter of two timeouts, where ≤ 0 means none. */
function shortest(a: number, b: number): number {
  if (a <= 0) return b;
  if (b <= 0) return a;
  return Math.min(a, b);
}

/** Both directions with flow control (what stream.pipe does, without its bookkeeping per chunk). */
function splice(
  client: net.Socket,
  reader: ClientReader,
  member: net.Socket,
  idle: IdleWatch,
  clientEnded: boolean,
): void {
  reader.pipeTo((chunk) => {
    idle.touch();
    if (!member.write(chunk)) client.pause();
  });
  member.on('drain', () => client.resume());
  client.on('drain', () => member.resume());
  // Half-closes pass through (allowHalfOpen on both sides): a client done sending may still read.
  if (clientEnded) member.end();
  else client.on('end', () => member.end());
  member.on('end', () => client.end());
}
