// TCP-mode sessions (TCP and HTTPS pass-through listeners, reference §12.2 `mode tcp`): one member
// connection per client connection, bytes spliced both ways, half-closes forwarded, `timeout client` /
// `timeout server` as idle timeouts of each side, PROXY protocol header first for PROXY pools.
import type net from 'node:net';
import { unmapIPv4 } from './cidr-match.js';
import type { ListenerConfig } from './listener-config.js';
import { connectMember } from './member-connect.js';
import { proxyHeaderFor } from './proxy-protocol.js';

/** Serves one admitted client connection with the configuration it arrived under. */
export async function proxyTcpConnection(client: net.Socket, config: ListenerConfig): Promise<void> {
  const pool = config.defaultPool;
  const { timeouts } = config.listener;
  let clientGone = false;
  client.on('error', () => client.destroy());
  client.once('close', () => {
    clientGone = true;
  });
  if (timeouts.clientData > 0) client.setTimeout(timeouts.clientData, () => client.destroy());
  const clientKey = { address: unmapIPv4(client.remoteAddress ?? ''), port: client.remotePort ?? 0 };
  // No pool or no member that can serve: HAProxy closes the connection.
  const session = pool && (await connectMember(pool, clientKey, timeouts.memberConnect));
  if (!session || !pool) {
    client.destroy();
    return;
  }
  const { socket: member, release } = session;
  member.once('close', release);
  if (clientGone) {
    member.destroy();
    return;
  }
  member.on('error', () => member.destroy());
  if (timeouts.memberData > 0) member.setTimeout(timeouts.memberData, () => member.destroy());
  // Either side closing for good (reset, timeout, both directions done) ends the other.
  member.once('close', () => client.destroy());
  client.once('close', () => member.destroy());
  if (pool.proxyProtocol) member.write(proxyHeaderFor(client, pool.proxyProtocol));
  client.pipe(member);
  member.pipe(client);
}
