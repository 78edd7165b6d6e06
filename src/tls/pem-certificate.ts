// A certificate with its key and chain as the data planes take it (PemCertificate): PEM parsing of
// certificates and keys, key-matches-certificate, the names a certificate serves and its expiry
// (Octavia's cert_parser: https://opendev.org/openstack/octavia/src/branch/master/octavia/common/tls_utils/cert_parser.py).
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { PemCertificate } from '../model/tls-material.ts';

/** A certificate that cannot serve; the message is the reason (Octavia's exception text where it has one). */
export class CertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

/** Octavia's MissingCertSubject (octavia/common/exceptions.py). */
export const MISSING_CERT_SUBJECT = 'No CN or DNSName(s) found in certificate. The certificate is invalid.';
/** More certificates than any chain has, and more text than any bundle: bounds the work on a hostile blob. */
const MAX_PEM_CERTIFICATES = 64;
const MAX_PEM_BYTES = 1 << 20;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]*?-----END CERTIFICATE-----/g;

/** Every PEM certificate in `text`, in order; none, or one Node cannot parse, is a CertificateError. */
export function parsePemCertificates(text: string): X509Certificate[] {
  if (text.length > MAX_PEM_BYTES) throw new CertificateError('PEM text too large');
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new CertificateError('no PEM certificate found');
  if (blocks.length > MAX_PEM_CERTIFICATES) throw new CertificateError('too many certificates');
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new CertificateError(`unreadable certificate: ${(error as Error).message}`);
    }
  });
}

/** A PEM private key, decrypted with `passphrase` when given (Octavia's NeedsPassphrase otherwise). */
export function parsePemPrivateKey(text: string, passphrase?: string): KeyObject {
  try {
    return createPrivateKey(passphrase === undefined ? text : { key: text, passphrase });
  } catch (error) {
    const needsPassphrase = /passphrase|bad decrypt/i.test((error as Error).message);
    throw new CertificateError(
      needsPassphrase ? 'the private key needs a (different) passphrase' : 'unreadable private key',
    );
  }
}

/** Whether `key` is the private key of `certificate` (Octavia's MisMatchedKey check). */
export function keyMatchesCertificate(certificate: X509Certificate, key: KeyObject): boolean {
  return certificate.checkPrivateKey(key);
}

/** The subjectAltName DNS names of a certificate, in order (Node prints `DNS:a, DNS:b`, JSON-quoting odd values). */
export function sanDnsNamesOf(certificate: X509Certificate): string[] {
  const san = certificate.subjectAltName ?? '';
  return [...san.matchAll(/(?:^|, )DNS:("(?:[^"\\]|\\.)*"|[^,]*)/g)].map((m) =>
    m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1],
  );
}

/**
 * The subject as an RFC 4514 string (https://www.rfc-editor.org/rfc/rfc4514#section-2.1: the last RDN first,
 * comma-separated), like Python cryptography's Name.rfc4514_string. Node prints the RDNs one a line in
 * certificate order, with RFC 2253 escaping of the values.
 */
export function subjectOf(certificate: X509Certificate): string {
  return certificate.subject.split('\n').filter(Boolean).reverse().join(',');
}

/**
 * The DNS names a certificate serves: its SAN DNS names, else its subject CNs (get_host_names). Node prints
 * SAN entries as `DNS:a, DNS:b`, quoting (JSON) a value that holds a comma or quote.
 */
export function hostNamesOf(certificate: X509Certificate): string[] {
  const dns = sanDnsNamesOf(certificate);
  if (dns.length > 0) return dns;
  const cns = certificate.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3));
  if (cns.length === 0) throw new CertificateError(MISSING_CERT_SUBJECT);
  return cns;
}

/** The chain ordered from the leaf's issuer upwards where it links, then the rest in the order given. */
export function orderChain(leaf: X509Certificate, others: readonly X509Certificate[]): X509Certificate[] {
  const left = [...others];
  const chain: X509Certificate[] = [];
  let current = leaf;
  for (;;) {
    const index = left.findIndex((cert) => current.checkIssued(cert) && cert !== current);
    if (index < 0) break;
    current = left.splice(index, 1)[0];
    chain.push(current);
  }
  return [...chain, ...left];
}

/** The data planes' form of a leaf, its key and its chain; refuses a mismatched key or a nameless leaf. */
export function toPemCertificate(
  leaf: X509Certificate,
  key: KeyObject,
  others: readonly X509Certificate[],
): PemCertificate {
  if (!keyMatchesCertificate(leaf, key)) {
    throw new CertificateError('the private key does not match the certificate');
  }
  return {
    certificate: leaf.toString(),
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    intermediates: orderChain(leaf, others).map((cert) => cert.toString()),
    names: hostNamesOf(leaf),
    notAfter: leaf.validToDate.toISOString(),
  };
}
