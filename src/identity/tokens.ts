// Token secrets: 32 random bytes in base64url handed to the client once; the store keeps only their
// sha256, so a database dump yields no usable token. Also the audit ids Keystone puts in every token.
import { createHash, randomBytes } from 'node:crypto';

export function newTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newAuditId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

/** ISO time `seconds` after `from`. */
export function expiryAfter(from: Date, seconds: number): string {
  return new Date(from.getTime() + seconds * 1000).toISOString();
}
