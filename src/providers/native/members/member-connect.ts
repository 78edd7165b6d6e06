// Opening the member side of a TCP session with HAProxy's `retries 3` + `option redispatch` (reference
// §12.1): a connect failure or `timeout connect` moves on to another member, up to three retries.
import net from 'node:net';
import tls from 'node:tls';
import type { DesiredMember } from '../../../model/desired-state.ts';
import type { ClientKey } from '../balancing/lb-algorithms.ts';
import type { PoolRuntime } from '../balancing/pool-runtime.ts';
import { memberConnectOptions } from '../tls/member-tls.ts';

export const CONNECT_RETRIES = 3;

export type MemberSession = Readonly<{
  socket: net.Socket;
  member: DesiredMember;
  /** gives the member's session slot back (least-connections count); idempotent */
  release: () => void;
}>;

/**
 * Connects to a member of `pool`; undefined when no member could be reached. `onread` (Node's net option)
 * lets the caller read into a buffer of its own instead of getting 'data' events.
 */
export async function connectMember(
  pool: PoolRuntime,
  client: ClientKey,
  connectTimeoutMs: number,
  onread?: net.OnReadOpts,
): Promise<MemberSession | undefined> {
  const tried = new Set<string>();
  for (let attempt = 0; attempt <= CONNECT_RETRIES; attempt++) {
    const member = pool.pick(client, { exclude: tried });
    if (!member) return undefined;
    tried.add(member.id);
    pool.acquire(member.id);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      pool.release(member.id);
    };
    const secure = pool.memberTls && memberConnectOptions(pool.memberTls, undefined);
    const socket = await openSocket(member, connectTimeoutMs, onread, secure);
    if (socket) return { socket, member, release };
    release();
  }
  return undefined;
}

function openSocket(
  member: DesiredMember,
  timeoutMs: number,
  onread: net.OnReadOpts | undefined,
  secure: tls.ConnectionOptions | undefined,
): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const options = {
      host: member.address,
      port: member.protocolPort,
      allowHalfOpen: true,
      noDelay: true,
      ...(onread ? { onread } : {}),
    };
    // A re-encrypting pool (`tls_enabled`): connected once the handshake is done; a failed one redispatches.
    const socket = secure ? tls.connect({ ...options, ...secure }) : net.connect(options);
    const timer = timeoutMs > 0 ? setTimeout(() => fail(), timeoutMs) : undefined;
    const fail = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    };
    socket.once('error', fail);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
