// What HAProxy's ssl_c_* sample fetches say about a TLS client connection, for the X-SSL-* headers and
// the SSL_* L7 rules (Octavia's render in octavia/common/jinja/haproxy/combined_listeners/templates/
// macros.j2). Formats follow the HAProxy 2.6 manual, section 7.3.4: DNs as `/C=../CN=..`, dates as the
// certificate's ASN.1 time `YYMMDDhhmmssZ`, ssl_c_verify as OpenSSL's X509_V_* number.
import type { TLSSocket } from 'node:tls';

export type ClientCertFacts = Readonly<{
  /** ssl_c_used */
  used: boolean;
  /** ssl_c_verify: 0 when verified or no certificate was asked for */
  verify: number;
  /** the subject's entries in order, short names (ssl_c_s_dn(<entry>) reads them) */
  subject: readonly (readonly [string, string])[];
  /** ssl_c_s_dn, ssl_c_i_dn, ssl_c_sha1,hex, ssl_c_notbefore, ssl_c_notafter; undefined without a cert */
  dn: string | undefined;
  issuer: string | undefined;
  sha1: string | undefined;
  notBefore: string | undefined;
  notAfter: string | undefined;
}>;

/** OpenSSL's X509_V_ERR_* numbers (include/openssl/x509_vfy.h) for the codes Node reports. */
const VERIFY_CODES: Readonly<Record<string, number>> = {
  UNABLE_TO_GET_ISSUER_CERT: 2,
  UNABLE_TO_GET_CRL: 3,
  CERT_SIGNATURE_FAILURE: 7,
  CRL_SIGNATURE_FAILURE: 8,
  CERT_NOT_YET_VALID: 9,
  CERT_HAS_EXPIRED: 10,
  CRL_NOT_YET_VALID: 11,
  CRL_HAS_EXPIRED: 12,
  DEPTH_ZERO_SELF_SIGNED_CERT: 18,
  SELF_SIGNED_CERT_IN_CHAIN: 19,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 20,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 21,
  CERT_CHAIN_TOO_LONG: 22,
  CERT_REVOKED: 23,
  INVALID_CA: 24,
  INVALID_PURPOSE: 26,
  CERT_UNTRUSTED: 27,
  CERT_REJECTED: 28,
};

/** A connection without a client certificate. */
export const NO_CLIENT_CERT: ClientCertFacts = {
  used: false,
  verify: 0,
  subject: [],
  dn: undefined,
  issuer: undefined,
  sha1: undefined,
  notBefore: undefined,
  notAfter: undefined,
};

/** The facts of an established TLS client connection. */
export function clientCertFacts(socket: TLSSocket): ClientCertFacts {
  const cert = socket.getPeerX509Certificate();
  if (!cert) return NO_CLIENT_CERT;
  const error = socket.authorizationError as unknown as string | Error | null;
  const code = typeof error === 'string' ? error : ((error as NodeJS.ErrnoException | null)?.code ?? '');
  const subject = dnEntries(cert.subject);
  return {
    used: true,
    verify: socket.authorized || !code ? 0 : (VERIFY_CODES[code] ?? 1),
    subject,
    dn: oneline(subject),
    issuer: oneline(dnEntries(cert.issuer)),
    sha1: cert.fingerprint.replaceAll(':', ''),
    notBefore: asn1Time(cert.validFromDate),
    notAfter: asn1Time(cert.validToDate),
  };
}

/** Node's multi-line DN (`C=US\nCN=x`) as entries in order. */
function dnEntries(text: string): [string, string][] {
  return text
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => {
      const eq = line.indexOf('=');
      return [line.slice(0, eq), line.slice(eq + 1)];
    });
}

/** HAProxy's DN text: `/` before each `name=value` (ssl_sock_get_dn_oneline). */
function oneline(entries: readonly (readonly [string, string])[]): string {
  return entries.map(([name, value]) => `/${name}=${value}`).join('');
}

/**
 * HAProxy copies the ASN.1 time of the certificate, dropping the century of a GeneralizedTime
 * (ssl_sock_get_time), so both read `YYMMDDhhmmssZ`.
 */
export function asn1Time(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(
    date.getUTCHours(),
  )}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
}

/** ssl_c_s_dn(<entry>): the first entry of that short name (HAProxy compares names exactly). */
export function subjectField(facts: ClientCertFacts, name: string): string | undefined {
  return facts.subject.find(([n]) => n === name)?.[1];
}

/**
 * The X-SSL-* headers Octavia's render sets (`http-request set-header`), in its order. Its `%{+Q}[..]` quotes
 * a value in logs only: HAProxy 2.6 writes the header value as it is, and an absent sample as an empty value
 * (src/providers/haproxy/haproxy-tls.test.ts checks both with a real HAProxy).
 */
export function sslHeaderValue(name: string, facts: ClientCertFacts): string | undefined {
  const plain = (value: string | undefined) => value ?? '';
  switch (name) {
    case 'x-ssl-client-verify':
      return String(facts.verify);
    case 'x-ssl-client-has-cert':
      return facts.used ? '1' : '0';
    case 'x-ssl-client-dn':
      return plain(facts.dn);
    case 'x-ssl-client-cn':
      return plain(facts.used ? subjectField(facts, 'CN') : undefined);
    case 'x-ssl-issuer':
      return plain(facts.issuer);
    case 'x-ssl-client-sha1':
      return plain(facts.sha1);
    case 'x-ssl-client-not-before':
      return plain(facts.notBefore);
    case 'x-ssl-client-not-after':
      return plain(facts.notAfter);
    default:
      return undefined;
  }
}
