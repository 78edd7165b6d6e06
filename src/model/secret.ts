// The secret store's objects as Barbican v1 defines them: secrets (metadata, the type of their payload),
// containers of named secret references, consumers and ACLs; and Barbican's media types
// (barbican/plugin/util/mime_types.py), which decide what a payload may be sent and fetched as.

export const SECRET_TYPES = [
  'symmetric',
  'passphrase',
  'private',
  'public',
  'certificate',
  'opaque',
] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export const CONTAINER_TYPES = ['generic', 'rsa', 'certificate'] as const;
export type ContainerType = (typeof CONTAINER_TYPES)[number];

/** The ACL operations Barbican knows (validators.ACL_OPERATIONS); its ACL schema accepts only `read`. */
export const ACL_OPERATIONS = ['read', 'write', 'delete', 'list'] as const;

export type Secret = Readonly<{
  id: string;
  projectId: string;
  creatorId: string | null;
  name: string | null;
  secretType: string;
  algorithm: string | null;
  bitLength: number | null;
  mode: string | null;
  expiration: string | null;
  /** the normalized type of the stored payload; null while the secret has none */
  contentType: string | null;
  createdAt: string;
  updatedAt: string;
}>;

export type ContainerSecretRef = Readonly<{ name: string | null; secretId: string }>;
export type ContainerConsumer = Readonly<{ name: string; url: string; projectId: string }>;

export type SecretContainer = Readonly<{
  id: string;
  projectId: string;
  creatorId: string | null;
  name: string | null;
  type: string;
  secretRefs: readonly ContainerSecretRef[];
  consumers: readonly ContainerConsumer[];
  createdAt: string;
  updatedAt: string;
}>;

export type Acl = Readonly<{
  operation: string;
  projectAccess: boolean;
  users: readonly string[];
  createdAt: string;
  updatedAt: string;
}>;

/** mime_types.SUPPORTED, in Barbican's order (its messages print this list). */
export const PLAIN_TEXT_TYPES = [
  'text/plain',
  'text/plain;charset=utf-8',
  'text/plain; charset=utf-8',
] as const;
export const BINARY_TYPES = ['application/octet-stream', 'application/pkcs8'] as const;
export const SUPPORTED_TYPES = [...PLAIN_TEXT_TYPES, ...BINARY_TYPES] as const;

/** mime_types.CTYPES_TO_ENCODINGS: the encodings each type may carry (null: none). */
export const ENCODINGS_OF: Readonly<Record<string, readonly string[] | null>> = {
  'text/plain': null,
  'application/octet-stream': ['base64', 'binary'],
  'application/pkcs8': ['base64', 'binary'],
};

/**
 * mime_types.normalize_content_type: lower-cases the type and drops a utf-8 charset; anything else (another
 * charset, a malformed parameter, an unknown type) comes back unchanged, so it fails isSupportedType.
 */
export function normalizeContentType(mimeType: string): string {
  const parts = mimeType.split(';').map((part) => part.trim());
  const mime = parts[0].toLowerCase();
  if (parts.length > 1) {
    const charset = parts[1].toLowerCase();
    if (!charset.includes('=')) return mimeType;
    if (charset.split('=').map((x) => x.trim())[1] !== 'utf-8') return mimeType;
  }
  return mime in ENCODINGS_OF ? mime : mimeType;
}

export function isSupportedType(mimeType: string): boolean {
  return (SUPPORTED_TYPES as readonly string[]).includes(normalizeContentType(mimeType));
}

export const isPlainText = (contentType: string) => contentType === 'text/plain';
