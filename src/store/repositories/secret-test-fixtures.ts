// Fixtures for the secret store's tests: the metadata of a plain opaque secret, as `openstack secret store`
// without options would record it (no algorithm, no expiry).
import type { SecretInput } from './secret-repository.ts';

export function opaqueSecret(projectId: string, name: string | null = null): SecretInput {
  return {
    projectId,
    creatorId: 'u1',
    name,
    secretType: 'opaque',
    algorithm: null,
    bitLength: null,
    mode: null,
    expiration: null,
  };
}
