// Column codecs shared by the repositories: 0/1 booleans, JSON text, ISO timestamps and ids.
import { randomUUID } from 'node:crypto';
import type { Bool } from './schema.ts';

export const toBool = (value: boolean): Bool => (value ? 1 : 0);
export const fromBool = (value: number | boolean): boolean => value === 1 || value === true;
export const toJson = (value: unknown): string => JSON.stringify(value);
export const fromJson = <T>(text: string | null, fallback: T): T =>
  text ? (JSON.parse(text) as T) : fallback;
export const now = (): string => new Date().toISOString();
export const newId = (): string => randomUUID();
/** Keystone ids are uuid4 hex without dashes. */
export const newHexId = (): string => randomUUID().replaceAll('-', '');

// SQLite's extended result codes SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE
// (https://www.sqlite.org/rescode.html), which node:sqlite reports as `errcode`.
const SQLITE_UNIQUE_ERRCODES = [1555, 2067];

/** True when a driver error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errcode?: number };
  return e?.code === '23505' || SQLITE_UNIQUE_ERRCODES.includes(e?.errcode ?? 0);
}
