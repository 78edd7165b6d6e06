// Re-encryption to the members of a `tls_enabled` pool, as Octavia renders the server line (macros.j2
// member_macro): `ssl`, the client certificate (`crt`), `ca-file` + `crl-file` with `verify required` when a
// CA is given, else `verify none`, and `sni ssl_fc_sni` (the client's SNI name goes on to the member).
// HAProxy checks the member's certificate name against that SNI when one is sent, and not otherwise
// (HAProxy 2.6 manual, `verifyhost`). Versions, ciphers and ALPN are the pool's.
import { createHash } from 'node:crypto';
import tls from 'node:tls';
import type { DesiredPool } from '../../../model/desired-state.ts';
import { nodeCiphers } from './tls-ciphers.ts';
import { tlsVersionRange } from './tls-versions.ts';

export type MemberTls = Readonly<{
  /** the pool's TLS settings, so kept-alive connections are reused only under the same ones */
  signature: string;
  secureContext: tls.SecureContext;
  verify: boolean;
  alpn: string[] | undefined;
}>;

/** What the native data plane speaks to members: HTTP/1.x, whatever a client speaks to the listener. */
const MEMBER_ALPN = new Set(['http/1.1', 'http/1.0']);

/** The ALPN list offered to a pool's members: the pool's, without h2 (never spoken to members). */
export function memberAlpn(alpnProtocols: readonly string[]): string[] {
  return alpnProtocols.filter((p) => MEMBER_ALPN.has(p));
}

/** The client side of a re-encrypting pool; undefined when the pool speaks plain TCP to its members. */
export function compileMemberTls(pool: DesiredPool): MemberTls | undefined {
  const { tls: config } = pool;
  const material = config.material;
  if (!config.enabled) return undefined;
  // The provider refuses such a document before any apply (unresolvedTls): never plain TCP to members.
  if (!material) throw new Error(`pool ${pool.id} tls_enabled without resolved certificates`);
  const range = tlsVersionRange(config.versions);
  // unsupported-options.ts refuses such a set before any apply.
  if ('unsupported' in range) throw new Error(`pool ${range.unsupported}`);
  const client = material.clientCertificate;
  const verify = material.ca !== null;
  const secureContext = tls.createSecureContext({
    minVersion: range.minVersion,
    maxVersion: range.maxVersion,
    ciphers: nodeCiphers(config.ciphers),
    ...(client
      ? { cert: [client.certificate, ...client.intermediates].join('\n'), key: client.privateKey }
      : {}),
    ...(verify ? { ca: material.ca ?? undefined, crl: material.crl ?? undefined } : {}),
  });
  const alpn = config.alpnProtocols.length > 0 ? memberAlpn(config.alpnProtocols) : undefined;
  const signature = createHash('sha256').update(JSON.stringify(config)).digest('base64url');
  return { signature, secureContext, verify, alpn };
}

/** Options for tls.connect to a member; `servername` is the client's SNI name, if any. */
export function memberConnectOptions(
  memberTls: MemberTls,
  servername: string | undefined,
): tls.ConnectionOptions {
  return {
    secureContext: memberTls.secureContext,
    rejectUnauthorized: memberTls.verify,
    ...(servername ? { servername } : {}),
    ...(memberTls.alpn ? { ALPNProtocols: memberTls.alpn } : {}),
    // No SNI, no name to check: HAProxy then verifies the chain only.
    checkServerIdentity: (_host, cert) =>
      servername ? tls.checkServerIdentity(servername, cert) : undefined,
  };
}

/** The idle-pool key of connections to a member under these TLS settings and SNI name. */
export function memberTlsKey(endpoint: string, memberTls: MemberTls, servername: string | undefined): string {
  return `${endpoint}|tls|${memberTls.signature}|${servername ?? ''}`;
}
