// The secret store as the TLS checks and the desired state read it (SecretReaders): a ref's payload, or a
// legacy certificate container's secrets, decrypted, only when they belong to the asking project — Octavia
// reads them with the user's context, so another project's secret is simply not there. What refs resolve to
// is cached (ResolutionCache) under a revision read from the metadata rows alone, so a cache hit decrypts
// and parses nothing, and a deleted, expired or newly filled secret or a changed container is read afresh.

import { type CertificateContainer, type SecretReaders, secretIdOfRef } from '../../tls/secret-reader.ts';
import type { Db } from '../database.ts';
import { ResolutionCache } from '../resolution-cache.ts';
import type { SecretCipher } from '../secret-cipher.ts';
import { getContainer } from './secret-container-repository.ts';
import { getSecret, readPayload } from './secret-repository.ts';

export function storeSecretReaders(
  db: Db,
  cipher: SecretCipher,
  cache: ResolutionCache = new ResolutionCache(),
): SecretReaders {
  // Barbican secrets are immutable once they hold a payload (a second one is refused), so the row's id and
  // update time name its content; a secret without payload, expired or of another project has no revision.
  const secretRevision = async (projectId: string, id: string): Promise<string | undefined> => {
    const secret = await getSecret(db, id);
    return secret?.projectId === projectId && secret.contentType !== null
      ? `${id}@${secret.updatedAt}`
      : undefined;
  };
  const revision = async (projectId: string, id: string): Promise<string | undefined> => {
    const secret = await secretRevision(projectId, id);
    if (secret !== undefined) return secret;
    const container = await getContainer(db, id);
    if (container?.projectId !== projectId) return undefined;
    const members = await Promise.all(
      container.secretRefs.map(
        async (r) => `${r.name}=${(await secretRevision(projectId, r.secretId)) ?? '-'}`,
      ),
    );
    return `${id}@${container.updatedAt}[${members.join(',')}]`;
  };
  const payloadOf = async (projectId: string, id: string): Promise<Buffer | undefined> => {
    const secret = await getSecret(db, id);
    return secret?.projectId === projectId ? readPayload(db, cipher, id) : undefined;
  };
  return {
    secret: async (projectId, ref) => {
      const id = secretIdOfRef(ref);
      return id === undefined ? undefined : payloadOf(projectId, id);
    },
    // barbican_legacy.py: a `certificate` container naming `certificate`, `private_key`, and optionally
    // `intermediates` and `private_key_passphrase`.
    container: async (projectId, ref) => {
      const id = secretIdOfRef(ref);
      const container = id === undefined ? undefined : await getContainer(db, id);
      if (container?.projectId !== projectId || container.type !== 'certificate') return undefined;
      const named = async (name: string) => {
        const entry = container.secretRefs.find((r) => r.name === name);
        return entry ? payloadOf(projectId, entry.secretId) : undefined;
      };
      const certificate = await named('certificate');
      const privateKey = await named('private_key');
      if (!certificate || !privateKey) return undefined;
      const intermediates = await named('intermediates');
      const privateKeyPassphrase = await named('private_key_passphrase');
      const out: CertificateContainer = {
        certificate,
        privateKey,
        ...(intermediates && { intermediates }),
        ...(privateKeyPassphrase && { privateKeyPassphrase }),
      };
      return out;
    },
    memo: async (kind, projectId, ref, load) => {
      const id = secretIdOfRef(ref);
      if (id === undefined) return load();
      return cache.through(`${kind} ${projectId} ${id}`, await revision(projectId, id), load);
    },
  };
}
