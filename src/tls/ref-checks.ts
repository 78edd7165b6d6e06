// The API's checks of certificate refs, in Octavia's words and order (_validate_tls_refs and
// _validate_client_ca_and_crl_refs of https://opendev.org/openstack/octavia/src/branch/master/octavia/api/v2/controllers/listener.py;
// pool.py uses the same): every ref is read through the injected SecretReaders in the object's project.
import { fail } from '../errors.ts';
import { pyList } from '../model/listener-rules.ts';
import { loadCa, loadCertificate, loadCrl, RefError } from './certificate-loader.ts';
import type { SecretReaders } from './secret-reader.ts';

/**
 * Server or client certificate refs must each be a readable PKCS#12 secret or a valid legacy container.
 * An unreadable bundle answers UnreadablePKCS12 at once; the other bad refs are listed together.
 */
export async function checkCertificateRefs(
  readers: SecretReaders,
  projectId: string,
  refs: readonly string[],
): Promise<void> {
  const bad: string[] = [];
  for (const ref of refs) {
    try {
      await loadCertificate(readers, projectId, ref);
    } catch (error) {
      if (error instanceof RefError && error.kind === 'unreadable-pkcs12') {
        throw fail('octavia.unreadable-pkcs12', { error: error.message });
      }
      // Upstream only reads the bundle here; a bundle that cannot serve (no host name) fails at render time.
      if (!(error instanceof RefError && error.kind === 'unusable')) bad.push(ref);
    }
  }
  if (bad.length > 0) throw fail('octavia.certificate-retrieval', { ref: pyList(bad) });
}

/** A client CA (and CRL): both retrievable, the CA a PEM certificate, the CRL a PEM CRL the CA signed. */
export async function checkCaAndCrlRefs(
  readers: SecretReaders,
  projectId: string,
  caRef: string,
  crlRef: string | null,
): Promise<void> {
  const [ca, crl] = await Promise.allSettled([
    loadCa(readers, projectId, caRef),
    crlRef === null ? Promise.resolve(undefined) : readers.secret(projectId, crlRef),
  ]);
  const bad = [
    ...(ca.status === 'rejected' && ca.reason instanceof RefError && ca.reason.kind === 'unavailable'
      ? [caRef]
      : []),
    ...(crlRef !== null && (crl.status === 'rejected' || crl.value === undefined) ? [crlRef] : []),
  ];
  if (bad.length > 0) throw fail('octavia.certificate-retrieval', { ref: pyList(bad) });
  if (ca.status === 'rejected') {
    throw fail('octavia.validation', {
      detail:
        'The client authentication CA certificate is invalid. It must be a valid x509 PEM format certificate. ' +
        `Error: ${(ca.reason as Error).message}`,
    });
  }
  if (crlRef === null) return;
  try {
    await loadCrl(readers, projectId, crlRef, ca.value.certificate);
  } catch (error) {
    if (error instanceof RefError && error.kind === 'crl-not-for-ca') {
      throw fail('octavia.validation', {
        detail: 'The CRL specified is not valid for client certificate authority reference supplied.',
      });
    }
    throw fail('octavia.validation', {
      detail:
        'The client authentication certificate revocation list is invalid. It must be a valid x509 PEM format ' +
        `certificate revocation list. Error: ${(error as Error).message}`,
    });
  }
}

/** The refs of one listener or pool create/update to check: certificates first, then a CA with its CRL. */
export type TlsRefs = Readonly<{ certificates: readonly string[]; ca: string | null; crl: string | null }>;

/** Checks `refs` in Octavia's order; does nothing without a secret store (`readers` undefined). */
export async function checkTlsRefs(
  readers: SecretReaders | undefined,
  projectId: string,
  refs: TlsRefs,
): Promise<void> {
  if (!readers) return;
  if (refs.certificates.length > 0) await checkCertificateRefs(readers, projectId, refs.certificates);
  if (refs.ca) await checkCaAndCrlRefs(readers, projectId, refs.ca, refs.crl);
}
