// Row types of the secret store's tables (migration 011): secrets with sealed payloads, containers, their
// secret references and consumers, ACLs, and the key check value.

export interface SecretTable {
  id: string;
  project_id: string;
  creator_id: string | null;
  name: string | null;
  secret_type: string;
  algorithm: string | null;
  bit_length: number | null;
  mode: string | null;
  /** ISO 8601 UTC instant, or null for a secret that never expires */
  expiration: string | null;
  /** the payload's normalized content type; null while the secret has no payload */
  content_type: string | null;
  payload_nonce: string | null;
  payload_ciphertext: string | null;
  payload_tag: string | null;
  created_at: string;
  updated_at: string;
}

export interface SecretContainerTable {
  id: string;
  project_id: string;
  creator_id: string | null;
  name: string | null;
  type: string;
  created_at: string;
  updated_at: string;
}

export interface ContainerSecretTable {
  container_id: string;
  position: number;
  name: string | null;
  secret_id: string;
}

export interface ContainerConsumerTable {
  id: string;
  container_id: string;
  project_id: string;
  name: string;
  url: string;
  created_at: string;
  updated_at: string;
}

export interface SecretAclTable {
  entity_kind: 'secret' | 'container';
  entity_id: string;
  operation: string;
  project_access: number;
  users: string;
  created_at: string;
  updated_at: string;
}

export interface SecretStoreKeyCheckTable {
  id: number;
  nonce: string;
  ciphertext: string;
  tag: string;
}
