// Column codecs shared by the repositories: 0/1 booleans, JSON text, ISO timestamps and ids.
import { randomUUID } from 'node:crypto';
import type { Bool } from './schema.js';

export const toBool = (value: boolean): Bool => (value ? 1 : 0);
export const fromBool = (value: number | boolean): boolean => value === 1 || value === true;
export const toJson = (value: unknown): string => JSON.stringify(value);
export const fromJson = <T>(text: string | null, fallback: T): T =>
  text ? (JSON.parse(text) as T) : fallback;
export const now = (): string => new Date().toISOString();
export const newId = (): string => randomUUID();
/** Keystone ids are uuid4 hex without dashes. */
export const newHexId = (): string => randomUUID().replaceAll('-', '');

/** True when a driver error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
