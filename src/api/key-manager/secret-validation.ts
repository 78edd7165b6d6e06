// A new secret as Barbican validates and normalizes it (barbican/common/validators.py NewSecretValidator,
// barbican/plugin/util/translations.py normalize_before_encryption): metadata, the expiration, and the
// payload decoded to the bytes that are sealed, with Barbican's exact 400/413 messages.
import { SluiceError } from '../../errors.ts';
import {
  ENCODINGS_OF,
  isSupportedType,
  normalizeContentType,
  SECRET_TYPES,
  SUPPORTED_TYPES,
} from '../../model/secret.ts';
import type { Payload, SecretInput } from '../../store/repositories/secret-repository.ts';
import { pyRepr } from '../wire/py-str.ts';
import { checkSchema, invalidObject, type ObjectSchema } from './barbican-schema.ts';

/** barbican.common.config max_allowed_secret_in_bytes default */
export const MAX_SECRET_BYTES = 20_000;
const MYSQL_SMALL_INT_MAX = 32_767;
const SCHEMA = 'Secret';

const SECRET_SCHEMA: ObjectSchema = {
  properties: {
    name: { type: ['string', 'null'], maxLength: 255 },
    algorithm: { type: 'string', maxLength: 255 },
    mode: { type: 'string', maxLength: 255 },
    bit_length: { type: 'integer', minimum: 1, maximum: MYSQL_SMALL_INT_MAX },
    expiration: { type: 'string', maxLength: 255 },
    payload: { type: 'string' },
    secret_type: { type: 'string', maxLength: 80, enum: SECRET_TYPES },
    payload_content_type: { type: ['string', 'null'], maxLength: 255 },
    payload_content_encoding: { type: 'string', maxLength: 255, enum: ['base64'] },
    transport_key_needed: { type: 'string', enum: ['true', 'false'] },
    transport_key_id: { type: 'string' },
  },
};

export type NewSecret = Readonly<{ input: Omit<SecretInput, 'projectId' | 'creatorId'>; payload?: Payload }>;

const assert = (condition: boolean, reason: string, property: string) => {
  if (!condition) throw invalidObject(SCHEMA, reason, property);
};

/** The body of POST /v1/secrets, checked and normalized. */
export function validateNewSecret(body: unknown, at: Date = new Date()): NewSecret {
  const data = checkSchema(SCHEMA, SECRET_SCHEMA, body);
  const expiration = parseExpiration(data.expiration as string | undefined);
  assert(
    expiration === null || Date.parse(expiration) > at.getTime(),
    "'expiration' is before current time",
    'expiration',
  );
  const contentType = (data.payload_content_type as string | null | undefined) ?? null;
  let payload: Payload | undefined;
  if ('payload' in data) {
    const encoding = (data.payload_content_encoding as string | undefined) ?? null;
    checkContentParameters(contentType, encoding);
    const text = data.payload as string;
    if (Buffer.byteLength(text, 'utf8') > MAX_SECRET_BYTES) throw new SluiceError('key-manager.too-large');
    assert(text !== '', "If 'payload' specified, must be non empty", 'payload');
    if (encoding === 'base64')
      assert(isPythonBase64(text), 'Invalid payload for payload_content_encoding', 'payload');
    payload = toPayload(text, contentType as string, encoding);
  } else if ('payload_content_type' in data) {
    throw invalidObject(SCHEMA, 'payload must be provided when payload_content_type is specified', 'payload');
  }
  return {
    input: {
      name: typeof data.name === 'string' ? data.name : null,
      secretType: (data.secret_type as string | undefined) ?? 'opaque',
      algorithm: (data.algorithm as string | undefined) ?? null,
      bitLength: (data.bit_length as number | undefined) ?? null,
      mode: (data.mode as string | undefined) ?? null,
      expiration,
    },
    ...(payload && { payload }),
  };
}

function checkContentParameters(contentType: string | null, encoding: string | null): void {
  assert(
    contentType !== null,
    "If 'payload' is supplied, 'payload_content_type' must also be supplied.",
    'payload_content_type',
  );
  const type = contentType as string;
  assert(
    isSupportedType(type),
    `payload_content_type is not one of ${pyRepr(SUPPORTED_TYPES)}`,
    'payload_content_type',
  );
  const encodings = ENCODINGS_OF[normalizeContentType(type)];
  assert(
    encodings ? encodings.includes(encoding as string) : encoding === null,
    `payload_content_encoding is not one of ${pyRepr(encodings)}`,
    'payload_content_encoding',
  );
}

/**
 * translations.normalize_before_encryption: text is its UTF-8 bytes; a base64 payload its decoded bytes.
 * (The schema admits only `base64` as an encoding, so binary types always arrive encoded.)
 */
function toPayload(text: string, contentType: string, encoding: string | null): Payload {
  const normalized = normalizeContentType(contentType);
  const bytes = encoding === 'base64' ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { bytes, contentType: normalized };
}

/**
 * Python's base64.b64decode (non-strict) accepts this text: characters outside the alphabet are dropped,
 * then the data must be whole quanta, padded with `=` where short.
 */
export function isPythonBase64(text: string): boolean {
  const cleaned = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const match = /^([A-Za-z0-9+/]*)(=*)$/.exec(cleaned);
  if (!match) return false;
  const rest = match[1].length % 4;
  if (rest === 1) return false;
  return rest === 0 || match[2].length >= 4 - rest;
}

/** oslo timeutils.parse_isotime + normalize_time: an ISO 8601 time, kept as a UTC instant. */
function parseExpiration(raw: string | undefined): string | null {
  if (!raw) return null;
  const match =
    /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      raw,
    );
  const iso = match
    ? `${match[1]}-${match[2]}-${match[3]}T${match[4] ?? '00'}:${match[5] ?? '00'}:${match[6] ?? '00'}${
        match[7] ? `.${match[7].slice(0, 3).padEnd(3, '0')}` : ''
      }${zone(match[8])}`
    : '';
  const time = Date.parse(iso);
  if (!match || Number.isNaN(time))
    throw invalidObject(SCHEMA, "Invalid date for 'expiration'", 'expiration');
  return new Date(time).toISOString();
}

function zone(text: string | undefined): string {
  if (!text || text.toUpperCase() === 'Z') return 'Z';
  const digits = text.slice(1).replace(':', '');
  return `${text[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}
