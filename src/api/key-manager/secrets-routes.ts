// /v1/secrets (barbican/api/controllers/secrets.py): create with or without a payload, list with filters
// and paging, metadata, the raw payload by Accept, the two-step PUT of a payload, and delete.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import { BINARY_TYPES, isSupportedType, PLAIN_TEXT_TYPES, type Secret } from '../../model/secret.ts';
import { getAcls } from '../../store/repositories/secret-acl-repository.ts';
import {
  createSecret,
  deleteSecret,
  getSecret,
  listSecrets,
  readPayload,
  storePayload,
} from '../../store/repositories/secret-repository.ts';
import { SecretKeyMismatchError } from '../../store/secret-cipher.ts';
import { caller } from '../plugins/auth.ts';
import type { KeyManagerContext } from './key-manager-context.ts';
import {
  enforceContentType,
  isUuid,
  loadBody,
  mediaType,
  paging,
  pathId,
  requestedVersion,
  versionAtLeast,
} from './key-manager-http.ts';
import { authorizeEntity, type EntityRule, RULES, requireMember } from './key-manager-policy.ts';
import { listPage, secretHref, secretView } from './key-manager-wire.ts';
import { linkQuery, secretListFilters } from './secret-list-query.ts';
import { isPythonBase64, MAX_SECRET_BYTES, validateNewSecret } from './secret-validation.ts';

const ROUTE = { config: { family: 'key-manager' as const } };

/** SecretsController._lookup, then the action's policy: 404 for a bad or unknown id, 403 when not allowed. */
export async function findSecret(
  context: KeyManagerContext,
  request: FastifyRequest,
  rule: EntityRule,
  operation: string,
): Promise<Secret> {
  const id = pathId(request);
  if (!isUuid(id)) throw new SluiceError('key-manager.invalid-secret-id');
  const secret = await getSecret(context.db, id);
  if (!secret) throw new SluiceError('key-manager.secret-not-found');
  authorizeEntity(caller(request), secret, await getAcls(context.db, 'secret', id), rule, operation);
  return secret;
}

/** controllers.is_json_request_accept: no Accept, `application/json` or `*\/*` asks for metadata. */
function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return accept === undefined || accept === 'application/json' || accept === '*/*';
}

/**
 * SecretController._on_get_secret_payload and translations.denormalize_after_decryption: the bytes as
 * stored, in the media type asked for (none: octet-stream; `*\/*`: the stored one); text only when the
 * bytes are UTF-8; anything else 406.
 */
async function sendPayload(
  context: KeyManagerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  secret: Secret,
  operation: string,
): Promise<FastifyReply> {
  if (!secret.contentType) throw new SluiceError('key-manager.no-payload');
  const header = request.headers.accept;
  let accept = header ? header : 'application/octet-stream';
  if (accept === '*/*') accept = secret.contentType;
  if (!isSupportedType(accept)) throw new SluiceError('key-manager.wrong-accept', { operation });
  let bytes: Buffer | undefined;
  try {
    bytes = await readPayload(context.db, context.cipher, secret.id);
  } catch (error) {
    if (!(error instanceof SecretKeyMismatchError)) throw error;
    request.log.error(error.message);
    throw new SluiceError('key-manager.failure', { operation });
  }
  if (!bytes) throw new SluiceError('key-manager.no-payload');
  if ((PLAIN_TEXT_TYPES as readonly string[]).includes(accept)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new SluiceError('key-manager.wrong-accept', { operation });
    }
    return reply.code(200).type(accept).send(text);
  }
  if (!(BINARY_TYPES as readonly string[]).includes(accept))
    throw new SluiceError('key-manager.issue', {
      operation,
      reason: `content-type of '${accept}' not supported`,
    });
  return reply.code(200).type(accept).send(bytes);
}

/**
 * The body of PUT /v1/secrets/{id} as translations.normalize_before_encryption takes it: text as UTF-8,
 * binary as sent, or base64-decoded with `Content-Encoding: base64`.
 */
function putPayload(request: FastifyRequest, operation: string): { bytes: Buffer; contentType: string } {
  const contentType = mediaType(request);
  const body = request.body;
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(request.rawBody ?? '', 'utf8');
  if (raw.length === 0)
    throw new SluiceError('key-manager.issue', { operation, reason: 'No data supplied to process.' });
  if (raw.length > MAX_SECRET_BYTES) throw new SluiceError('key-manager.issue-too-large', { operation });
  if (contentType === 'text/plain') return { bytes: raw, contentType };
  const encoding = request.headers['content-encoding'];
  if (!encoding) return { bytes: raw, contentType };
  if (encoding.toLowerCase() === 'base64' && isPythonBase64(raw.toString('latin1')))
    return { bytes: Buffer.from(raw.toString('latin1'), 'base64'), contentType };
  throw new SluiceError('key-manager.issue', {
    operation,
    reason: "Text-based binary secret payloads must specify a content-encoding of 'base64'",
  });
}

export function registerSecretRoutes(scope: FastifyInstance, context: KeyManagerContext, api: string): void {
  scope.post(`${api}/secrets`, ROUTE, async (request, reply) => {
    const operation = 'Secret creation';
    const auth = caller(request);
    const projectId = requireMember(auth, operation);
    enforceContentType(request, ['application/json']);
    const secret = validateNewSecret(loadBody(request));
    const created = await createSecret(
      context.db,
      context.cipher,
      { ...secret.input, projectId, creatorId: auth.userId },
      secret.payload,
    );
    const href = secretHref(context.hrefs, created.id);
    return reply.code(201).header('Location', href).send({ secret_ref: href });
  });

  scope.get(`${api}/secrets`, ROUTE, async (request) => {
    const auth = caller(request);
    const projectId = requireMember(auth, 'Secret(s) retrieval');
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const filters = secretListFilters(query, auth.userId);
    const page = paging(Object.fromEntries(query));
    const { secrets, total } = await listSecrets(context.db, projectId, filters, page);
    const withConsumers = versionAtLeast(requestedVersion(request), '1.1');
    return listPage(
      context.hrefs,
      'secrets',
      'secrets',
      secrets.map((secret) => secretView(context.hrefs, secret, withConsumers)),
      { ...page, total, query: linkQuery(query) },
    );
  });

  scope.get(`${api}/secrets/:id`, ROUTE, async (request, reply) => {
    const operation = 'Secret retrieval';
    const secret = await findSecret(
      context,
      request,
      wantsJson(request) ? RULES.secretGet : RULES.secretDecrypt,
      operation,
    );
    if (!wantsJson(request)) return sendPayload(context, request, reply, secret, operation);
    return secretView(context.hrefs, secret, versionAtLeast(requestedVersion(request), '1.1'));
  });

  scope.get(`${api}/secrets/:id/payload`, ROUTE, async (request, reply) => {
    const operation = 'Secret payload retrieval';
    const secret = await findSecret(context, request, RULES.secretDecrypt, operation);
    return sendPayload(context, request, reply, secret, operation);
  });

  scope.put(`${api}/secrets/:id`, ROUTE, async (request, reply) => {
    const operation = 'Secret update';
    const secret = await findSecret(context, request, RULES.ownerOnly, operation);
    enforceContentType(request, ['application/octet-stream', 'text/plain']);
    const payload = putPayload(request, operation);
    if (secret.contentType || !(await storePayload(context.db, context.cipher, secret.id, payload)))
      throw new SluiceError('key-manager.has-data');
    return reply.code(204).send();
  });

  scope.delete(`${api}/secrets/:id`, ROUTE, async (request, reply) => {
    const secret = await findSecret(context, request, RULES.secretDelete, 'Secret deletion');
    await deleteSecret(context.db, secret.id);
    return reply.code(204).send();
  });
}
