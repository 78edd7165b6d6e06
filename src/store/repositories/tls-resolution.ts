// Resolves a listener's or pool's certificate refs into the PEM material the data planes serve with, through
// the injected SecretReaders in the object's project, at render time. A ref that no longer resolves (deleted
// secret, unreadable bundle, certificate without host names) throws: the change then fails with that reason.
import type { Selectable } from 'kysely';
import type { ListenerTlsMaterial, PemCertificate, PoolTlsMaterial } from '../../model/tls-material.ts';
import { loadCa, loadCertificate, loadCrl } from '../../tls/certificate-loader.ts';
import type { SecretReaders } from '../../tls/secret-reader.ts';
import { fromBool, fromJson } from '../codec.ts';
import type { ListenerTable, PoolTable } from '../schema.ts';

/** A listener's TLS refs as stored. */
export type ListenerTlsRefs = Readonly<{
  id: string;
  projectId: string;
  protocol: string;
  defaultRef: string | null;
  sniRefs: readonly string[];
  clientCaRef: string | null;
  clientCrlRef: string | null;
}>;

/** A pool's TLS refs as stored. */
export type PoolTlsRefs = Readonly<{
  id: string;
  projectId: string;
  enabled: boolean;
  certificateRef: string | null;
  caRef: string | null;
  crlRef: string | null;
}>;

/** A listener row's TLS refs. */
export const listenerTlsRefs = (
  l: Pick<
    Selectable<ListenerTable>,
    | 'id'
    | 'project_id'
    | 'protocol'
    | 'default_tls_container_ref'
    | 'sni_container_refs'
    | 'client_ca_tls_container_ref'
    | 'client_crl_container_ref'
  >,
): ListenerTlsRefs => ({
  id: l.id,
  projectId: l.project_id,
  protocol: l.protocol,
  defaultRef: l.default_tls_container_ref,
  sniRefs: fromJson<string[]>(l.sni_container_refs, []),
  clientCaRef: l.client_ca_tls_container_ref,
  clientCrlRef: l.client_crl_container_ref,
});

/** A pool row's TLS refs. */
export const poolTlsRefs = (
  p: Pick<
    Selectable<PoolTable>,
    'id' | 'project_id' | 'tls_enabled' | 'tls_container_ref' | 'ca_tls_container_ref' | 'crl_container_ref'
  >,
): PoolTlsRefs => ({
  id: p.id,
  projectId: p.project_id,
  enabled: fromBool(p.tls_enabled),
  certificateRef: p.tls_container_ref,
  caRef: p.ca_tls_container_ref,
  crlRef: p.crl_container_ref,
});

/** Runs `load`, naming the object and ref in the error a failure becomes (the load balancer's status reason). */
async function resolving<T>(object: string, ref: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(`${object}: certificate ref ${ref} could not be resolved: ${(error as Error).message}`);
  }
}

/**
 * TERMINATED_HTTPS material: the default certificate (else the first SNI one, which HAProxy's crt-list
 * would also make the default), the SNI certificates, the client CA and CRL. Null for other protocols.
 */
export async function resolveListenerTls(
  readers: SecretReaders,
  listener: ListenerTlsRefs,
): Promise<ListenerTlsMaterial | null> {
  if (listener.protocol !== 'TERMINATED_HTTPS') return null;
  const object = `listener ${listener.id}`;
  const certificate = (ref: string): Promise<PemCertificate> =>
    resolving(object, ref, () => loadCertificate(readers, listener.projectId, ref));
  const refs = [...(listener.defaultRef ? [listener.defaultRef] : []), ...listener.sniRefs];
  if (refs.length === 0) throw new Error(`${object}: TERMINATED_HTTPS without a certificate ref`);
  const [defaultCertificate, ...rest] = await Promise.all(refs.map(certificate));
  const sniCertificates = listener.defaultRef ? rest : [defaultCertificate, ...rest];
  const { ca, crl } = await resolveCaAndCrl(
    readers,
    object,
    listener.projectId,
    listener.clientCaRef,
    listener.clientCrlRef,
  );
  return { defaultCertificate, sniCertificates, clientCa: ca, clientCrl: crl };
}

/** Re-encryption material of a tls_enabled pool; null when TLS to members is off. */
export async function resolvePoolTls(
  readers: SecretReaders,
  pool: PoolTlsRefs,
): Promise<PoolTlsMaterial | null> {
  if (!pool.enabled) return null;
  const object = `pool ${pool.id}`;
  const ref = pool.certificateRef;
  const clientCertificate = ref
    ? await resolving(object, ref, () => loadCertificate(readers, pool.projectId, ref))
    : null;
  const { ca, crl } = await resolveCaAndCrl(readers, object, pool.projectId, pool.caRef, pool.crlRef);
  return { clientCertificate, ca, crl };
}

async function resolveCaAndCrl(
  readers: SecretReaders,
  object: string,
  projectId: string,
  caRef: string | null,
  crlRef: string | null,
): Promise<{ ca: string | null; crl: string | null }> {
  if (!caRef) return { ca: null, crl: null };
  const ca = await resolving(object, caRef, () => loadCa(readers, projectId, caRef));
  const crl = crlRef
    ? await resolving(object, crlRef, () => loadCrl(readers, projectId, crlRef, ca.certificate))
    : null;
  return { ca: ca.pem, crl: crl?.pem ?? null };
}
