// Decodes the request body of a route: JSON text → value, with WSME's fault for malformed JSON. An absent
// body reads as `{}` so a missing envelope is reported as a missing mandatory field, like Octavia.
import type { FastifyRequest } from 'fastify';
import type { ObjectFields } from './field-types.ts';
import { type Parsed, parseBody, parseJsonText } from './parse-body.ts';

export function readJson(request: FastifyRequest): unknown {
  const raw = request.rawBody;
  if (raw === undefined || raw.trim() === '') return {};
  return parseJsonText(raw);
}

/** Reads and validates the body as the WSME argument `argument` with the given envelope fields. */
export function readBody(request: FastifyRequest, argument: string, envelope: ObjectFields): Parsed {
  return parseBody(argument, envelope, readJson(request));
}
