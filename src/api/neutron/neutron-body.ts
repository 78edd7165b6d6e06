// Reads a Neutron request body (`{"network": {...}}`) and checks it against the resource's attribute map
// the way neutron's api/v2/base.py prepare_request_body does: unrecognized attributes, POST-only and
// read-only attributes, required attributes, then each attribute's converter.
import type { FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import { readJson } from '../wire/read-body.ts';
import { type Convert, InvalidAttribute } from './neutron-validators.ts';

export type AttributeSpec = Readonly<{
  /** required or optional on POST; absent from POST bodies when false */
  post: 'required' | 'optional' | false;
  /** may be changed by PUT */
  put: boolean;
  convert: Convert;
}>;
export type AttributeMap = Readonly<Record<string, AttributeSpec>>;
export type Attributes = Record<string, unknown>;

const badRequest = (detail: string) => new SluiceError('network.http-bad-request', { detail });

/** The parsed JSON body, undefined when there is none, or a Neutron 400 for malformed JSON. */
export function readBody(request: FastifyRequest): unknown {
  try {
    return request.rawBody === undefined || request.rawBody.trim() === '' ? undefined : readJson(request);
  } catch {
    throw badRequest('Malformed request body');
  }
}

/** The resource dict of the body, e.g. body.network, or a Neutron 400 naming what is wrong. */
export function readResource(request: FastifyRequest, resource: string): Record<string, unknown> {
  const body = readBody(request);
  if (body === undefined) throw badRequest('Resource body required');
  const inner =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[resource] : undefined;
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
    throw badRequest(`Unable to find '${resource}' in request body`);
  }
  return inner as Record<string, unknown>;
}

export function parseAttributes(
  map: AttributeMap,
  input: Record<string, unknown>,
  method: 'POST' | 'PUT',
): Attributes {
  const unknown = Object.keys(input).filter((key) => !Object.hasOwn(map, key));
  if (unknown.length > 0) {
    throw new SluiceError('network.unrecognized-attributes', { attributes: unknown.sort().join(', ') });
  }
  for (const [name, spec] of Object.entries(map)) {
    const given = Object.hasOwn(input, name);
    if (method === 'POST' && given && spec.post === false)
      throw badRequest(`Attribute '${name}' not allowed in POST`);
    if (method === 'POST' && !given && spec.post === 'required')
      throw badRequest(`Failed to parse request. Required attribute '${name}' not specified`);
    if (method === 'PUT' && given && !spec.put) throw badRequest(`Cannot update read-only attribute ${name}`);
  }
  const out: Attributes = {};
  for (const [name, value] of Object.entries(input)) {
    try {
      out[name] = map[name].convert(value);
    } catch (error) {
      if (!(error instanceof InvalidAttribute)) throw error;
      throw new SluiceError('network.invalid-attribute', { attribute: name, reason: error.message });
    }
  }
  return out;
}

/** The typed value of an attribute that is present, or undefined. */
export const attr = <T>(attributes: Attributes, name: string): T | undefined =>
  Object.hasOwn(attributes, name) ? (attributes[name] as T) : undefined;
