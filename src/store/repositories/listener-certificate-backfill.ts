// At start, records the certificate facts of listeners that name server certificates but have none recorded
// (created before migration 013, or while the secret store could not be read): one resolution per such
// listener, once, so their expiry shows without a change to them.
import { serverCertificateFacts } from '../../tls/certificate-facts.ts';
import type { SecretReaders } from '../../tls/secret-reader.ts';
import { fromJson } from '../codec.ts';
import type { Db } from '../database.ts';
import { setListenerCertificates } from './listener-repository.ts';

/** Fills the facts of every listener with certificate refs and none recorded; returns how many it filled. */
export async function backfillListenerCertificates(db: Db, readers: SecretReaders): Promise<number> {
  const rows = await db
    .selectFrom('listeners')
    .select(['id', 'project_id', 'default_tls_container_ref', 'sni_container_refs'])
    .where('tls_certificates', 'is', null)
    .execute();
  let filled = 0;
  for (const row of rows) {
    const sniRefs = fromJson<string[]>(row.sni_container_refs, []);
    if (!row.default_tls_container_ref && sniRefs.length === 0) continue;
    const facts = await serverCertificateFacts(readers, row.project_id, {
      defaultRef: row.default_tls_container_ref,
      sniRefs,
    });
    await setListenerCertificates(db, row.id, facts);
    filled += 1;
  }
  return filled;
}
