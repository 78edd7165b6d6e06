// Reading Keystone request bodies and query strings: the resource envelope, typed fields with Keystone's
// 400 (`Invalid input for field 'name': …`), and the list filters `name`, `domain_id`, `enabled`.
import type { FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { DirectoryFilter } from '../../store/repositories/identity-records.ts';
import { readJson } from '../wire/read-body.ts';

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function invalid(field: string, reason: string): SluiceError {
  return new SluiceError('identity.validation', { field: `'${field}'`, reason });
}

/** The object under `key` in the request body (`{"project": {…}}`). */
export function readEnvelope(request: FastifyRequest, key: string): JsonObject {
  const body = readJson(request);
  const value = isObject(body) ? body[key] : undefined;
  if (value === undefined) throw invalid(key, `'${key}' is a required property`);
  if (!isObject(value)) throw invalid(key, `${JSON.stringify(value)} is not of type 'object'`);
  return value;
}

type Length = Readonly<{ min?: number; max?: number }>;

export function optionalString(object: JsonObject, field: string, length: Length = {}): string | undefined {
  const value = object[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(field, `${JSON.stringify(value)} is not of type 'string'`);
  // NUL cannot be stored in a PostgreSQL text column and means nothing in a name.
  if (value.includes('\u0000')) throw invalid(field, `${JSON.stringify(value)} contains a NUL character`);
  if (value.length < (length.min ?? 0)) throw invalid(field, `'${value}' is too short`);
  if (value.length > (length.max ?? 255)) throw invalid(field, `'${value}' is too long`);
  return value;
}

export function requiredString(object: JsonObject, field: string, length: Length = {}): string {
  const value = optionalString(object, field, { min: 1, ...length });
  if (value === undefined) throw invalid(field, `'${field}' is a required property`);
  return value;
}

/** A string or an explicit null (null clears the field). */
export function optionalNullableString(object: JsonObject, field: string): string | null | undefined {
  return object[field] === null ? null : optionalString(object, field);
}

export function optionalBoolean(object: JsonObject, field: string): boolean | undefined {
  const value = object[field];
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalid(field, `${JSON.stringify(value)} is not of type 'boolean'`);
}

export function optionalStringList(object: JsonObject, field: string): string[] | undefined {
  const value = object[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.includes('\u0000'))) {
    throw invalid(field, `${JSON.stringify(value)} is not a list of strings`);
  }
  return value as string[];
}

/** The first value of a query parameter. */
export function queryValue(request: FastifyRequest, key: string): string | undefined {
  const query = request.query as Record<string, string | string[] | undefined>;
  const value = query[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Keystone reads `enabled=false`/`0` as false and any other value as true. */
export function queryBoolean(request: FastifyRequest, key: string): boolean | undefined {
  const value = queryValue(request, key);
  if (value === undefined) return undefined;
  return !['false', '0', 'no', 'off'].includes(value.toLowerCase());
}

export function directoryFilter(request: FastifyRequest): DirectoryFilter {
  return {
    name: queryValue(request, 'name'),
    domainId: queryValue(request, 'domain_id'),
    enabled: queryBoolean(request, 'enabled'),
  };
}
