// The `tls_versions` of a listener or pool as Node's minVersion/maxVersion: Node (like OpenSSL's
// SSL_CTX_set_min/max_proto_version) only takes a range, so a set with a gap cannot be served.
// https://nodejs.org/api/tls.html#tlscreatesecurecontextoptions
import type { SecureVersion } from 'node:tls';

const ORDER: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export type VersionRange =
  | Readonly<{ minVersion: SecureVersion; maxVersion: SecureVersion }>
  | Readonly<{ unsupported: string }>;

/** The range `versions` spans; an empty list means Octavia's default (TLSv1.2 and TLSv1.3). */
export function tlsVersionRange(versions: readonly string[]): VersionRange {
  if (versions.length === 0) return { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' };
  if (versions.includes('SSLv3')) return { unsupported: 'tls_versions SSLv3 (Node.js has no SSLv3)' };
  const indexes = versions.map((v) => ORDER.indexOf(v as SecureVersion)).filter((i) => i >= 0);
  const unknown = versions.filter((v) => !ORDER.includes(v as SecureVersion));
  if (unknown.length > 0) return { unsupported: `tls_versions ${unknown.join(', ')}` };
  const min = Math.min(...indexes);
  const max = Math.max(...indexes);
  if (new Set(indexes).size !== max - min + 1) {
    return {
      unsupported: `tls_versions ${versions.join(', ')} (a gap between versions: Node.js enables one range)`,
    };
  }
  return { minVersion: ORDER[min], maxVersion: ORDER[max] };
}
