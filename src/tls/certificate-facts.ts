// The facts a listener keeps of its server certificates (src/model/certificate-facts.ts): read through the
// same loader the checks and the data planes use (so through the resolution cache), never the key.
import { X509Certificate } from 'node:crypto';
import { type CertificateFacts, type CertificateRole, isoSeconds } from '../model/certificate-facts.ts';
import { loadCertificate } from './certificate-loader.ts';
import { sanDnsNamesOf, subjectOf } from './pem-certificate.ts';
import type { SecretReaders } from './secret-reader.ts';

/** The facts of one leaf certificate (PEM) served for `ref` in `role`. */
export function certificateFactsOf(
  ref: string,
  role: CertificateRole,
  certificatePem: string,
): CertificateFacts {
  const leaf = new X509Certificate(certificatePem);
  return {
    ref,
    role,
    subject: subjectOf(leaf),
    subjectAltNames: sanDnsNamesOf(leaf),
    notAfter: isoSeconds(leaf.validToDate),
  };
}

/** A listener's server certificate refs: the default one and the SNI ones. */
export type ServerCertificateRefs = Readonly<{ defaultRef: string | null; sniRefs: readonly string[] }>;

/**
 * The facts of a listener's server certificates, the default first, then SNI in order. A ref that does not
 * resolve gives none: its failure is the provisioning status reason, not a fact.
 */
export async function serverCertificateFacts(
  readers: SecretReaders,
  projectId: string,
  refs: ServerCertificateRefs,
): Promise<CertificateFacts[]> {
  const wanted = [
    ...(refs.defaultRef ? [{ ref: refs.defaultRef, role: 'default' as const }] : []),
    ...refs.sniRefs.map((ref) => ({ ref, role: 'sni' as const })),
  ];
  const facts = await Promise.all(
    wanted.map(({ ref, role }) =>
      loadCertificate(readers, projectId, ref).then(
        (pem) => certificateFactsOf(ref, role, pem.certificate),
        () => undefined,
      ),
    ),
  );
  return facts.filter((f) => f !== undefined);
}

/**
 * What a listener records of its certificates at create or update: null without a secret store (refs are not
 * read, so nothing is known), none without server certificate refs, else their facts.
 */
export async function listenerCertificateFacts(
  readers: SecretReaders | undefined,
  projectId: string,
  refs: ServerCertificateRefs,
): Promise<CertificateFacts[] | null> {
  if (!readers) return null;
  if (!refs.defaultRef && refs.sniRefs.length === 0) return [];
  return serverCertificateFacts(readers, projectId, refs);
}
