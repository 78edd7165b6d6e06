// X.509 CRLs (RFC 5280 §5): PEM parsing and "signed by this CA". Node's crypto has no CRL type, so the
// CertificateList is read with the DER reader and its tbsCertList verified with crypto.verify against the
// CA's public key (Octavia: crl.is_signature_valid(ca_cert.public_key()), listener.py).
import { type KeyObject, verify } from 'node:crypto';
import { childrenOf, expectTag, oidOf, readOne, Tag } from './der.ts';

export type Crl = Readonly<{ tbs: Buffer; signatureAlgorithm: string; signature: Buffer; pem: string }>;

const PEM_CRL = /-----BEGIN X509 CRL-----([A-Za-z0-9+/=\s]*?)-----END X509 CRL-----/;
/** A CRL of a busy CA can be large, but not this large. */
const MAX_CRL_BYTES = 8 << 20;

/** Signature algorithms (RFC 4055 §5, RFC 5758 §3.2, RFC 8410 §3) → the digest crypto.verify takes. */
const SIGNATURE_DIGESTS: Readonly<Record<string, string | null>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null,
  '1.3.101.113': null,
};

/** The first PEM CRL of `text`: CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, BIT STRING }. */
export function parsePemCrl(text: string): Crl {
  const match = PEM_CRL.exec(text.length > MAX_CRL_BYTES ? '' : text);
  if (!match) throw new Error('no PEM X509 CRL found');
  const der = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
  const [tbs, algorithm, signature] = childrenOf(readOne(der, Tag.SEQUENCE, 'a CertificateList'), 3);
  if (!signature) throw new Error('incomplete CertificateList');
  expectTag(tbs, Tag.SEQUENCE, 'a TBSCertList');
  const signatureAlgorithm = oidOf(childrenOf(expectTag(algorithm, Tag.SEQUENCE, 'an algorithm'), 2)[0]);
  const bits = expectTag(signature, Tag.BIT_STRING, 'a signature').value;
  // A BIT STRING's first byte counts the unused bits; signatures are whole bytes.
  if (bits.length < 2 || bits[0] !== 0) throw new Error('bad CRL signature encoding');
  return { tbs: tbs.encoded, signatureAlgorithm, signature: bits.subarray(1), pem: match[0] };
}

/** Whether `crl` carries a valid signature by `caPublicKey`; unknown algorithms (e.g. RSA-PSS) do not. */
export function crlSignedBy(crl: Crl, caPublicKey: KeyObject): boolean {
  const digest = SIGNATURE_DIGESTS[crl.signatureAlgorithm];
  if (digest === undefined) return false;
  try {
    return verify(digest, crl.tbs, caPublicKey, crl.signature);
  } catch {
    return false;
  }
}
