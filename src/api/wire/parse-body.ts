// Parses and validates a JSON request body against field descriptors with WSME's exact semantics: unknown
// attributes are named with their dotted path, a wrong type or range names the field and its value, int and
// bool fields coerce like WSME's fromjson (so `"80"` is a port and `"yes"` is true), strings never coerce.
import { isIP } from 'node:net';
import { SluiceError } from '../../errors.ts';
import type { FieldType, ObjectFields } from './field-types.ts';
import { pyStr } from './py-str.ts';

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BOOL_TRUE = ['true', 't', 'yes', 'y', 'on', '1'];
const BOOL_FALSE = ['false', 'f', 'no', 'n', 'off', '0'];

export type Parsed = Record<string, unknown>;

class UnknownAttributes extends Error {
  path: string | null;
  attributes: string[];

  constructor(path: string | null, attributes: string[]) {
    super('unknown attributes');
    this.path = path;
    this.attributes = attributes;
  }
  prepend(name: string): void {
    this.path = this.path === null ? name : `${name}.${this.path}`;
  }
}

/** Raised while converting int/bool base types; WSME reports these against the whole argument. */
class BaseTypeError extends Error {}

export function parseJsonText(raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new SluiceError('request.malformed-json');
  }
  // Checked after parsing: JSON.parse is iterative in V8, but every walker after it (this one, the fault
  // renderer, JSON.stringify) recurses, so nesting is bounded before any of them sees the value.
  if (jsonDepth(value) > MAX_JSON_DEPTH) throw new SluiceError('request.too-deep', { limit: MAX_JSON_DEPTH });
  return value;
}

/** Deeper than any body the APIs define (a graph create nests about ten levels). */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a decoded JSON value, measured without recursion; stops counting past the limit. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Validates `body` (already JSON-decoded) as the argument `argument` of the given shape. Only keys present in
 * the body appear in the result; `null` stays `null` so PUT handlers can tell "reset" from "absent", except
 * inside a create (`t.create`, or `create` here for a body parsed on its own), where an optional null is
 * left out so the create's defaults apply.
 */
export function parseBody(
  argument: string,
  fields: ObjectFields,
  body: unknown,
  options: { create?: boolean } = {},
): Parsed {
  try {
    return parseObject(fields, body, options.create === true);
  } catch (error) {
    if (error instanceof UnknownAttributes) {
      error.prepend(argument);
      const attributes = [...error.attributes].sort().join(', ');
      const code = error.attributes.length > 1 ? 'request.unknown-attributes' : 'request.unknown-attribute';
      throw new SluiceError(code, { argument: error.path ?? argument, attributes });
    }
    if (error instanceof BaseTypeError) throw invalidInput(argument, body, error.message);
    throw error;
  }
}

function invalidInput(field: string, value: unknown, reason: string): SluiceError {
  return new SluiceError('request.invalid-input', { field, value: `'${pyStr(value)}'`, reason });
}

/**
 * Optional attributes a create keeps when null. Octavia takes an optional null on create as the attribute
 * left out (Horizon's create wizard relies on it, e.g. `vip_address: null`), but its BaseType.to_dict turns
 * a None admin_state_up into False on every type
 * (https://opendev.org/openstack/octavia/src/branch/master/octavia/api/common/types.py).
 */
const NULL_KEPT_ON_CREATE = ['admin_state_up'];

function parseObject(fields: ObjectFields, value: unknown, create: boolean): Parsed {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BaseTypeError(`Value not a valid dict: ${pyStr(value)}`);
  }
  const input = value as Record<string, unknown>;
  const unknown = Object.keys(input).filter((key) => !Object.hasOwn(fields, key));
  if (unknown.length > 0) throw new UnknownAttributes(null, unknown);
  const out: Parsed = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (!Object.hasOwn(input, name)) {
      if (spec.mandatory) throw invalidInput(name, null, 'Mandatory field missing.');
      continue;
    }
    // WSME lets `null` through a mandatory object (the envelope of `{"loadbalancer": null}`) and Octavia
    // then fails on it with a 500; it is answered as the missing object it stands for. Null scalars are
    // left to the handlers, which Octavia checks by name (`None is not a valid option for delay`).
    if (spec.mandatory && spec.type.kind === 'object' && input[name] === null)
      throw invalidInput(name, null, 'Mandatory field missing.');
    if (create && !spec.mandatory && input[name] === null && !NULL_KEPT_ON_CREATE.includes(name)) continue;
    try {
      out[name] = convert(name, spec.type, input[name], create);
    } catch (error) {
      if (error instanceof UnknownAttributes) error.prepend(name);
      throw error;
    }
  }
  return out;
}

function convert(name: string, type: FieldType, value: unknown, create: boolean): unknown {
  if (value === null) return null;
  switch (type.kind) {
    case 'string': {
      if (typeof value !== 'string') throw invalidInput(name, value, 'Value should be string');
      // NUL cannot be stored in a PostgreSQL text column and no OpenStack name means one.
      if (value.includes('\u0000'))
        throw invalidInput(name, value, 'Value should not contain NUL characters');
      if (type.min !== undefined && value.length < type.min)
        throw invalidInput(name, value, `Value should have a minimum character requirement of ${type.min}`);
      if (type.max !== undefined && value.length > type.max)
        throw invalidInput(name, value, `Value should have a maximum character requirement of ${type.max}`);
      if (type.pattern && !type.pattern.test(value))
        throw invalidInput(name, value, `Value should match the pattern ${type.pattern.source}`);
      return value;
    }
    case 'uuid':
      if (typeof value !== 'string' || !UUID_RE.test(value))
        throw invalidInput(name, value, 'Value should be UUID format');
      return canonicalUuid(value);
    case 'int': {
      const number = toInt(value);
      if (type.min !== undefined && number < type.min)
        throw invalidInput(name, number, `Value should be greater or equal to ${type.min}`);
      if (type.max !== undefined && number > type.max)
        throw invalidInput(name, number, `Value should be lower or equal to ${type.max}`);
      return number;
    }
    case 'bool':
      return toBool(value);
    case 'enum':
      if (typeof value !== 'string' || !type.values.includes(value))
        throw invalidInput(name, value, `Value should be one of: ${type.values.join(', ')}`);
      return value;
    case 'ip':
      if (typeof value !== 'string' || isIP(value) === 0)
        throw invalidInput(name, value, 'Value should be IPv4 or IPv6 format');
      return value;
    case 'list':
      if (!Array.isArray(value)) throw new BaseTypeError(`Value not a valid list: ${pyStr(value)}`);
      // A null item has no meaning in any list Octavia takes (objects, tags, CIDRs, TLS versions).
      if (value.includes(null)) throw new BaseTypeError(`Value not a valid list: ${pyStr(value)}`);
      return value.map((item) => convert(name, type.of, item, create));
    case 'dict': {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new BaseTypeError(`Value not a valid dict: ${pyStr(value)}`);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>))
        out[key] = convert(name, type.of, item, create);
      return out;
    }
    case 'object':
      return parseObject(type.fields, value, create || type.create === true);
    case 'json':
      return value;
  }
}

function toInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  // Math.trunc(-0) is -0, which would print as 0 but compare oddly; Python's int(-0.0) is 0.
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value) || 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  throw new BaseTypeError(`invalid literal for int() with base 10: ${pyStr(JSON.stringify(value))}`);
}

function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return value !== 0;
  if (typeof value === 'string' && BOOL_TRUE.includes(value)) return true;
  if (typeof value === 'string' && BOOL_FALSE.includes(value)) return false;
  throw new BaseTypeError(`Value not an unambiguous boolean: ${pyStr(value)}`);
}

function canonicalUuid(value: string): string {
  const hex = value.replaceAll('-', '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
