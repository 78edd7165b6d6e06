// Request plumbing shared by the key-manager routes, after barbican/api/__init__.py and
// barbican/api/controllers/__init__.py: the JSON body (Malformed JSON, strings stripped), the content-type
// gate (415), UUID path ids (404) and the negotiated microversion (OpenStack-API-Version: key-manager X.Y).
import type { FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import { pyRepr } from '../wire/py-str.ts';

/** barbican/api/controllers/versions.py VERSIONS: 1.0, 1.1 (secret consumers), 1.2 (delete needs force). */
export const KEY_MANAGER_VERSIONS = ['1.0', '1.1', '1.2'] as const;
export const MIN_VERSION = KEY_MANAGER_VERSIONS[0];
export const MAX_VERSION = KEY_MANAGER_VERSIONS[KEY_MANAGER_VERSIONS.length - 1];

/**
 * The microversion of a request: the `key-manager` entry of OpenStack-API-Version, `latest` meaning the
 * highest; without one (or with one this API does not serve) the lowest, 1.0.
 */
export function requestedVersion(request: FastifyRequest): string {
  const header = request.headers['openstack-api-version'];
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const entry of text.split(',')) {
    const [service, version] = entry.trim().split(/\s+/);
    if (service?.toLowerCase() !== 'key-manager' || !version) continue;
    if (version.toLowerCase() === 'latest') return MAX_VERSION;
    if ((KEY_MANAGER_VERSIONS as readonly string[]).includes(version)) return version;
  }
  return MIN_VERSION;
}

export const versionAtLeast = (version: string, minimum: string) =>
  KEY_MANAGER_VERSIONS.indexOf(version as never) >= KEY_MANAGER_VERSIONS.indexOf(minimum as never);

/** The media type of the request without parameters, as WebOb's `request.content_type`. */
export function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** controllers.enforce_content_types: 415 unless the request's media type is one of `allowed`. */
export function enforceContentType(request: FastifyRequest, allowed: readonly string[]): void {
  if (!allowed.includes(mediaType(request)))
    throw new SluiceError('key-manager.unexpected-content-type', { expected: pyRepr(allowed) });
}

/** api.load_body: JSON text → value ('Malformed JSON'), every string stripped of surrounding whitespace. */
export function loadBody(request: FastifyRequest): unknown {
  const raw = typeof request.body === 'string' ? request.body : (request.rawBody ?? '');
  try {
    return stripStrings(JSON.parse(raw));
  } catch {
    throw new SluiceError('key-manager.malformed-json');
  }
}

/** Python's str.strip(): JavaScript's whitespace plus the separators U+001C–U+001F and U+0085. */
const PY_EXTRA_SPACE = new Set([0x1c, 0x1d, 0x1e, 0x1f, 0x85]);
function stripPy(text: string): string {
  const isSpace = (index: number) => PY_EXTRA_SPACE.has(text.charCodeAt(index)) || /\s/.test(text[index]);
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(start)) start += 1;
  while (end > start && isSpace(end - 1)) end -= 1;
  return text.slice(start, end);
}

function stripStrings(value: unknown): unknown {
  if (typeof value === 'string') return stripPy(value);
  if (Array.isArray(value)) return value.map(stripStrings);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripStrings(v)]));
  return value;
}

/** utils.validate_id_is_uuid: 8-4-4-4-12 hex digits. */
export const isUuid = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export const pathId = (request: FastifyRequest): string => (request.params as { id: string }).id;

/** repositories.clean_paging_values: offset ≥ 0 (else 0), limit 1–100 (default 10, junk → 10). */
export function paging(query: Readonly<Record<string, unknown>>): { offset: number; limit: number } {
  const int = (value: unknown) =>
    typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  const offsetValue = int(query.offset);
  const offset = Number.isSafeInteger(offsetValue) && offsetValue > 0 ? offsetValue : 0;
  const limitValue = query.limit === undefined || query.limit === '' ? 10 : int(query.limit);
  const limit = Number.isNaN(limitValue) ? 10 : Math.min(Math.max(limitValue, 1), 100);
  return { offset, limit };
}
