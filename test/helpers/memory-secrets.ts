// An in-memory secret store for TLS tests, in the shape the API and the desired state read secrets
// (SecretReaders): payloads and legacy containers per project, found by any ref ending in their UUID.
import { randomUUID } from 'node:crypto';
import { type CertificateContainer, type SecretReaders, secretIdOfRef } from '../../src/tls/secret-reader.ts';

export type MemorySecrets = SecretReaders & {
  /** stores `payload` for `projectId`; returns its ref as Barbican writes it */
  add(projectId: string, payload: Buffer | string): string;
  addContainer(projectId: string, container: CertificateContainer): string;
  remove(ref: string): void;
};

export function memorySecrets(base = 'http://127.0.0.1:9311/v1'): MemorySecrets {
  const secrets = new Map<string, { projectId: string; payload: Buffer }>();
  const containers = new Map<string, { projectId: string; container: CertificateContainer }>();
  const find = <T extends { projectId: string }>(map: Map<string, T>, projectId: string, ref: string) => {
    const id = secretIdOfRef(ref);
    const entry = id === undefined ? undefined : map.get(id);
    return entry?.projectId === projectId ? entry : undefined;
  };
  return {
    secret: async (projectId, ref) => find(secrets, projectId, ref)?.payload,
    container: async (projectId, ref) => find(containers, projectId, ref)?.container,
    add(projectId, payload) {
      const id = randomUUID();
      secrets.set(id, { projectId, payload: Buffer.from(payload) });
      return `${base}/secrets/${id}`;
    },
    addContainer(projectId, container) {
      const id = randomUUID();
      containers.set(id, { projectId, container });
      return `${base}/containers/${id}`;
    },
    remove(ref) {
      const id = secretIdOfRef(ref);
      if (id) secrets.delete(id);
    },
  };
}
