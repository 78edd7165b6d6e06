// Encryption at rest of secret payloads: AES-256-GCM (authenticated) with a fresh 96-bit nonce per payload
// and the secret's id as associated data, so a ciphertext copied onto another secret's row fails to open.
// NIST SP 800-38D §8.2 (random 96-bit IVs) and §5.2.1.2 (tag); https://nodejs.org/api/crypto.html#class-cipher
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const SECRET_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed payload as stored: each part base64, so the row holds text on SQLite and PostgreSQL alike. */
export type SealedPayload = Readonly<{ nonce: string; ciphertext: string; tag: string }>;

export class SecretKeyMismatchError extends Error {
  constructor(what: string) {
    super(
      `the secret store key does not open ${what}: it is not the key the payloads were stored with ` +
        '(restore the original secret-store.key or SLUICE_SECRET_STORE_KEY)',
    );
    this.name = 'SecretKeyMismatchError';
  }
}

export type SecretCipher = Readonly<{
  seal(id: string, plaintext: Buffer): SealedPayload;
  /** throws SecretKeyMismatchError when the tag does not verify (wrong key, or a tampered row) */
  open(id: string, sealed: SealedPayload): Buffer;
  /** a short digest naming the key in messages, never the key itself */
  fingerprint: string;
}>;

export function createSecretCipher(key: Buffer): SecretCipher {
  if (key.length !== SECRET_KEY_BYTES)
    throw new Error(`the secret store key must be ${SECRET_KEY_BYTES} bytes, not ${key.length}`);
  const secretKey = Buffer.from(key);
  return Object.freeze({
    fingerprint: createHash('sha256').update(secretKey).digest('hex').slice(0, 16),
    seal(id: string, plaintext: Buffer): SealedPayload {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', secretKey, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(id, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return {
        nonce: nonce.toString('base64'),
        ciphertext: ciphertext.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    },
    open(id: string, sealed: SealedPayload): Buffer {
      const decipher = createDecipheriv('aes-256-gcm', secretKey, Buffer.from(sealed.nonce, 'base64'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(id, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
      } catch {
        throw new SecretKeyMismatchError(`secret ${id}`);
      }
    },
  });
}
