// The TLVs HAProxy appends to a PROXY v2 header for a client connection over TLS (make_proxy_line_v2 in
// HAProxy's src/connection.c; https://www.haproxy.org/download/2.6/doc/proxy-protocol.txt §2.2): PP2_TYPE_ALPN
// when ALPN was negotiated, then PP2_TYPE_SSL with the client flags, the verify result, the TLS version
// and the client certificate's CN (`send-proxy-v2-ssl-cn`, which Octavia renders for PROXYV2 pools behind
// TERMINATED_HTTPS).
import type { TLSSocket } from 'node:tls';
import { clientCertFacts, subjectField } from './client-cert-facts.ts';

const PP2_TYPE_ALPN = 0x01;
const PP2_TYPE_SSL = 0x20;
const PP2_SUBTYPE_SSL_VERSION = 0x21;
const PP2_SUBTYPE_SSL_CN = 0x22;
const PP2_CLIENT_SSL = 0x01;
const PP2_CLIENT_CERT_CONN = 0x02;
const PP2_CLIENT_CERT_SESS = 0x04;

/** One TLV: type, 16-bit big-endian length, value. */
function tlv(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head[0] = type;
  head.writeUInt16BE(value.length, 1);
  return Buffer.concat([head, value]);
}

/** The TLV bytes for the PROXY v2 header of the TLS client connection `socket`. */
export function proxySslTlvs(socket: TLSSocket): Buffer {
  const parts: Buffer[] = [];
  if (socket.alpnProtocol) parts.push(tlv(PP2_TYPE_ALPN, Buffer.from(socket.alpnProtocol, 'latin1')));
  const facts = clientCertFacts(socket);
  // client flags (1 byte) and verify (4 bytes, 0 = verified or no certificate: HAProxy zeroes the block)
  const fixed = Buffer.alloc(5);
  if (facts.used) {
    // A resumed session carries the certificate of its first handshake, not one sent on this connection.
    fixed[0] = PP2_CLIENT_SSL | PP2_CLIENT_CERT_SESS | (socket.isSessionReused() ? 0 : PP2_CLIENT_CERT_CONN);
    fixed.writeUInt32BE(facts.verify, 1);
  } else fixed[0] = PP2_CLIENT_SSL;
  const ssl: Buffer[] = [fixed];
  const version = socket.getProtocol();
  if (version) ssl.push(tlv(PP2_SUBTYPE_SSL_VERSION, Buffer.from(version, 'latin1')));
  const cn = subjectField(facts, 'CN');
  if (cn) ssl.push(tlv(PP2_SUBTYPE_SSL_CN, Buffer.from(cn, 'utf8')));
  parts.push(tlv(PP2_TYPE_SSL, Buffer.concat(ssl)));
  return Buffer.concat(parts);
}
