// `tls_ciphers` as Node's `ciphers` option. It is an OpenSSL cipher string for TLS ≤1.2, as HAProxy's
// `ciphers`; TLS 1.3 suites (names starting `TLS_`) in it select the TLS 1.3 suites (HAProxy
// `ciphersuites`), and a string naming none keeps Node's default TLS 1.3 suites, as HAProxy does.
// https://nodejs.org/api/tls.html#modifying-the-default-tls-cipher-suite
import { DEFAULT_CIPHERS } from 'node:tls';

const DEFAULT_TLS13 = DEFAULT_CIPHERS.split(':').filter((c) => c.startsWith('TLS_'));

/** Node's `ciphers` value for `tlsCiphers`; undefined keeps Node's defaults. */
export function nodeCiphers(tlsCiphers: string | null): string | undefined {
  if (!tlsCiphers) return undefined;
  const names = tlsCiphers.split(':').filter((c) => c !== '');
  if (names.some((c) => c.startsWith('TLS_'))) return names.join(':');
  return [...names, ...DEFAULT_TLS13].join(':');
}
