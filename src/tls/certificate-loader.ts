// Loads what a ref names into data-plane material, the way Octavia's cert managers read it (get_cert and
// get_secret of https://opendev.org/openstack/octavia/src/branch/master/octavia/certificates/manager/barbican.py):
// a server or client certificate is a PKCS#12 secret, else a legacy certificate container; a CA or CRL is a
// secret's raw PEM payload.
import type { X509Certificate } from 'node:crypto';
import type { PemCertificate } from '../model/tls-material.ts';
import { type Crl, crlSignedBy, parsePemCrl } from './crl.ts';
import { parsePemCertificates, parsePemPrivateKey, toPemCertificate } from './pem-certificate.ts';
import { Pkcs12Error, readPkcs12 } from './pkcs12.ts';
import type { SecretReaders } from './secret-reader.ts';

/**
 * Why a ref cannot be used: `unreadable-pkcs12` (the secret is there but is no readable bundle: Octavia's
 * UnreadablePKCS12), `unavailable` (no such secret or container in the project, or a container that does
 * not hold a usable certificate: CertificateRetrievalException), `invalid-ca`, `invalid-crl`,
 * `crl-not-for-ca`, `unusable` (read, but it cannot serve: no host name, key mismatch).
 */
export type RefFailureKind =
  | 'unreadable-pkcs12'
  | 'unavailable'
  | 'invalid-ca'
  | 'invalid-crl'
  | 'crl-not-for-ca'
  | 'unusable';

export class RefError extends Error {
  readonly kind: RefFailureKind;
  readonly ref: string;
  constructor(kind: RefFailureKind, ref: string, message: string) {
    super(message);
    this.name = 'RefError';
    this.kind = kind;
    this.ref = ref;
  }
}

async function readSecret(
  readers: SecretReaders,
  projectId: string,
  ref: string,
): Promise<Buffer | undefined> {
  // A failing reader (store error) is a ref that cannot be retrieved, as any exception is upstream.
  return readers.secret(projectId, ref).catch(() => undefined);
}

/** `load` through the readers' resolution cache when they have one. */
function memo<T>(
  readers: SecretReaders,
  kind: string,
  projectId: string,
  ref: string,
  load: () => Promise<T>,
): Promise<T> {
  return readers.memo ? readers.memo(kind, projectId, ref, load) : load();
}

/**
 * A server (default, SNI) or pool client certificate: a PKCS#12 secret without a password, else a legacy
 * container. An unreadable bundle is not retried as a container (Octavia re-raises UnreadablePKCS12).
 */
export function loadCertificate(
  readers: SecretReaders,
  projectId: string,
  ref: string,
): Promise<PemCertificate> {
  return memo(readers, 'certificate', projectId, ref, () => readCertificate(readers, projectId, ref));
}

async function readCertificate(
  readers: SecretReaders,
  projectId: string,
  ref: string,
): Promise<PemCertificate> {
  const payload = await readSecret(readers, projectId, ref);
  if (payload) {
    let bundle: ReturnType<typeof readPkcs12>;
    try {
      bundle = readPkcs12(payload);
    } catch (error) {
      const message = error instanceof Pkcs12Error ? error.message : 'Could not deserialize PKCS12 data';
      throw new RefError('unreadable-pkcs12', ref, message);
    }
    return usable(ref, () => toPemCertificate(bundle.certificate, bundle.privateKey, bundle.others));
  }
  const container = await readers.container?.(projectId, ref).catch(() => undefined);
  if (!container) throw new RefError('unavailable', ref, `no secret or certificate container ${ref}`);
  // cert_parser.validate_cert: the certificate, the key (with its passphrase) and the intermediates parse,
  // and the key is the certificate's; any failure makes the ref a bad one.
  try {
    const [leaf] = parsePemCertificates(container.certificate.toString('utf8'));
    const passphrase = container.privateKeyPassphrase?.toString('utf8');
    const key = parsePemPrivateKey(container.privateKey.toString('utf8'), passphrase);
    const others = container.intermediates
      ? parsePemCertificates(container.intermediates.toString('utf8'))
      : [];
    return toPemCertificate(leaf, key, others);
  } catch (error) {
    throw new RefError('unavailable', ref, `certificate container ${ref}: ${(error as Error).message}`);
  }
}

function usable(ref: string, build: () => PemCertificate): PemCertificate {
  try {
    return build();
  } catch (error) {
    throw new RefError('unusable', ref, (error as Error).message);
  }
}

type LoadedCa = Readonly<{ pem: string; certificate: X509Certificate }>;

/** A client-authentication or member CA: the secret's payload must be PEM certificates (the first counts). */
export function loadCa(readers: SecretReaders, projectId: string, ref: string): Promise<LoadedCa> {
  return memo(readers, 'ca', projectId, ref, () => readCa(readers, projectId, ref));
}

async function readCa(readers: SecretReaders, projectId: string, ref: string): Promise<LoadedCa> {
  const payload = await readSecret(readers, projectId, ref);
  if (!payload) throw new RefError('unavailable', ref, `no secret ${ref}`);
  try {
    const certificates = parsePemCertificates(payload.toString('utf8'));
    return { pem: certificates.map((c) => c.toString()).join(''), certificate: certificates[0] };
  } catch (error) {
    throw new RefError('invalid-ca', ref, (error as Error).message);
  }
}

/** A CRL: the secret's payload must be a PEM X.509 CRL signed by `ca` (cached per CA, as the check is). */
export function loadCrl(
  readers: SecretReaders,
  projectId: string,
  ref: string,
  ca: X509Certificate,
): Promise<Crl> {
  const kind = `crl-of-${ca.fingerprint256}`;
  return memo(readers, kind, projectId, ref, () => readCrl(readers, projectId, ref, ca));
}

async function readCrl(
  readers: SecretReaders,
  projectId: string,
  ref: string,
  ca: X509Certificate,
): Promise<Crl> {
  const payload = await readSecret(readers, projectId, ref);
  if (!payload) throw new RefError('unavailable', ref, `no secret ${ref}`);
  let crl: Crl;
  try {
    crl = parsePemCrl(payload.toString('utf8'));
  } catch (error) {
    throw new RefError('invalid-crl', ref, (error as Error).message);
  }
  if (!crlSignedBy(crl, ca.publicKey))
    throw new RefError('crl-not-for-ca', ref, 'the CRL is not signed by the CA');
  return crl;
}
