// PROXY protocol headers sent to PROXY / PROXYV2 pool members before any client byte (HAProxy
// `send-proxy` / `send-proxy-v2`, reference §12.3), as HAProxy's proxy-protocol.txt specifies them:
// v1 is one text line, v2 a binary block starting with a 12-byte signature.
import net from 'node:net';
import { TLSSocket } from 'node:tls';
import { unmapIPv4 } from '../cidr-match.ts';
import { proxySslTlvs } from '../tls/proxy-ssl-tlvs.ts';

/** The connection a header describes: the client (source) and the address it reached (destination). */
export type ProxiedConnection = Readonly<{
  sourceAddress: string;
  sourcePort: number;
  destinationAddress: string;
  destinationPort: number;
  transport: 'tcp' | 'udp';
}>;

export const PROXY_V2_SIGNATURE = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);

/** Both addresses in one family (spec §2.1: both addresses are of the same family). */
function sameFamily(c: ProxiedConnection): { v6: boolean; src: string; dst: string } {
  const src = unmapIPv4(c.sourceAddress);
  const dst = unmapIPv4(c.destinationAddress);
  if (net.isIPv4(src) && net.isIPv4(dst)) return { v6: false, src, dst };
  const toV6 = (a: string) => (net.isIPv4(a) ? `::ffff:${a}` : a);
  return { v6: true, src: toV6(src), dst: toV6(dst) };
}

/** v1: `PROXY TCP4 <src> <dst> <sport> <dport>\r\n` (spec §2.1). v1 has no UDP form. */
export function proxyHeaderV1(c: ProxiedConnection): Buffer {
  const { v6, src, dst } = sameFamily(c);
  const family = v6 ? 'TCP6' : 'TCP4';
  return Buffer.from(`PROXY ${family} ${src} ${dst} ${c.sourcePort} ${c.destinationPort}\r\n`, 'latin1');
}

/**
 * v2: signature, version 2 + PROXY command, family/transport, length, then the addresses (spec §2.2) and
 * any TLVs (§2.2.5).
 */
export function proxyHeaderV2(c: ProxiedConnection, tlvs?: Buffer): Buffer {
  const { v6, src, dst } = sameFamily(c);
  const addressLength = v6 ? 16 : 4;
  const body = Buffer.alloc(addressLength * 2 + 4 + (tlvs?.length ?? 0));
  tlvs?.copy(body, addressLength * 2 + 4);
  ipBytes(src, v6).copy(body, 0);
  ipBytes(dst, v6).copy(body, addressLength);
  body.writeUInt16BE(c.sourcePort, addressLength * 2);
  body.writeUInt16BE(c.destinationPort, addressLength * 2 + 2);
  const head = Buffer.alloc(4);
  head[0] = 0x21; // version 2, command PROXY
  head[1] = (v6 ? 0x20 : 0x10) | (c.transport === 'udp' ? 0x02 : 0x01); // AF_INET[6] + STREAM/DGRAM
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([PROXY_V2_SIGNATURE, head, body]);
}

function ipBytes(address: string, v6: boolean): Buffer {
  if (!v6) return Buffer.from(address.split('.').map(Number));
  return Buffer.from(expandIPv6(address));
}

/** The 16 bytes of an IPv6 address (with `::` and an embedded dotted IPv4 tail). */
function expandIPv6(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const v = Number.parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

/**
 * The PROXY header (v1 text or v2 binary) describing the client connection `client` on the listener; a v2
 * header of a TLS client connection carries its TLS facts (proxy-ssl-tlvs.ts).
 */
export function proxyHeaderFor(client: net.Socket, version: 1 | 2): Buffer {
  const connection: ProxiedConnection = {
    sourceAddress: client.remoteAddress ?? '',
    sourcePort: client.remotePort ?? 0,
    destinationAddress: client.localAddress ?? '',
    destinationPort: client.localPort ?? 0,
    transport: 'tcp',
  };
  if (version === 1) return proxyHeaderV1(connection);
  return proxyHeaderV2(connection, client instanceof TLSSocket ? proxySslTlvs(client) : undefined);
}
