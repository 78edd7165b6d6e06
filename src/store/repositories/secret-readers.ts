// The secret store as the TLS checks and the desired state read it (SecretReaders): a ref's payload, or a
// legacy certificate container's secrets, decrypted, only when they belong to the asking project — Octavia
// reads them with the user's context, so another project's secret is simply not there.

import { type CertificateContainer, type SecretReaders, secretIdOfRef } from '../../tls/secret-reader.ts';
import type { Db } from '../database.ts';
import type { SecretCipher } from '../secret-cipher.ts';
import { getContainer } from './secret-container-repository.ts';
import { getSecret, readPayload } from './secret-repository.ts';

export function storeSecretReaders(db: Db, cipher: SecretCipher): SecretReaders {
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
  };
}
