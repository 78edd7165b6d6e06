// Bodies of the container, consumer and ACL calls as Barbican validates them (barbican/common/validators.py
// ContainerValidator, ContainerConsumerValidator, ACLValidator), with its messages.
import { SluiceError } from '../../errors.ts';
import { CONTAINER_TYPES, type ContainerSecretRef } from '../../model/secret.ts';
import type { AclChange } from '../../store/repositories/secret-acl-repository.ts';
import { pyRepr } from '../wire/py-str.ts';
import { checkSchema, invalidObject } from './barbican-schema.ts';

export type NewContainer = Readonly<{ name: string | null; type: string; secretRefs: ContainerSecretRef[] }>;

/** validators.ContainerValidator._get_secret_id_from_ref: the last path segment (before a trailing /). */
export function secretIdOfRef(ref: string): string {
  if (ref.endsWith('/')) return ref.split('/').slice(-2)[0];
  return ref.includes('/') ? (ref.split('/').pop() as string) : ref;
}

/** The body of POST /v1/containers; every secret ref must start with `hostHref`, this service's base URL. */
export function validateNewContainer(body: unknown, hostHref: string): NewContainer {
  const schema = 'Container';
  const data = checkSchema(
    schema,
    {
      properties: {
        name: { type: ['string', 'null'], maxLength: 255 },
        type: { type: 'string', enum: CONTAINER_TYPES },
        secret_refs: { type: 'array' },
      },
      required: ['type'],
    },
    body,
  );
  const refs = (data.secret_refs ?? []) as unknown[];
  for (const ref of refs)
    checkSchema(
      schema,
      {
        properties: {
          name: { type: ['string', 'null'], maxLength: 255 },
          secret_ref: { type: 'string', minLength: 1 },
        },
        required: ['secret_ref'],
      },
      ref,
    );
  const secretRefs = (refs as { name?: string | null; secret_ref: string }[]).map((ref) => ({
    name: ref.name ?? null,
    secretRef: ref.secret_ref,
  }));
  const type = data.type as string;
  if (secretRefs.length > 0) {
    // Python's set of names: a missing name counts as ''.
    const names = new Set(secretRefs.map((ref) => ref.name ?? ''));
    if (names.size !== secretRefs.length)
      throw invalidObject(schema, 'Duplicate reference names are not allowed', 'secret_refs');
    if (new Set(secretRefs.map((ref) => secretIdOfRef(ref.secretRef))).size !== secretRefs.length)
      throw invalidObject(schema, 'Duplicate secret ids are not allowed', 'secret_refs');
    // "no spoofing allowed!": refs must point at this service.
    if (secretRefs.some((ref) => !ref.secretRef.startsWith(hostHref)))
      throw new SluiceError('key-manager.unsupported-field');
    if (type === 'rsa') checkNames(names, ['public_key', 'private_key'], ['private_key_passphrase'], 'rsa');
    if (type === 'certificate')
      checkNames(
        names,
        ['certificate'],
        ['private_key', 'private_key_passphrase', 'intermediates'],
        'certificate',
      );
  }
  return {
    name: typeof data.name === 'string' ? data.name : null,
    type,
    secretRefs: secretRefs.map((ref) => ({ name: ref.name, secretId: secretIdOfRef(ref.secretRef) })),
  };
}

function checkNames(names: Set<string>, required: string[], optional: string[], type: 'rsa' | 'certificate') {
  const allowed = new Set([...required, ...optional]);
  const rsa = type === 'rsa';
  if ([...names].some((name) => !allowed.has(name)))
    throw invalidObject(
      'Container',
      rsa
        ? "only 'private_key', 'public_key' and 'private_key_passphrase' reference names are allowed for RSA type"
        : "only 'private_key', 'certificate' , 'private_key_passphrase',  or 'intermediates' reference names are allowed for Certificate type",
      'secret_refs',
    );
  if (!required.every((name) => names.has(name)))
    throw invalidObject(
      'Container',
      rsa
        ? "The minimum required reference names are 'public_key' and'private_key' for RSA type"
        : "The minimum required reference name is 'certificate' for Certificate type",
      'secret_refs',
    );
}

/** ContainerConsumerValidator: `{name, URL}`. */
export function validateConsumer(body: unknown): { name: string; url: string } {
  const data = checkSchema(
    'Consumer',
    {
      properties: {
        URL: { type: 'string', maxLength: 255, minLength: 1 },
        name: { type: 'string', maxLength: 36, minLength: 1 },
      },
      required: ['name', 'URL'],
    },
    body,
  );
  return { name: data.name as string, url: data.URL as string };
}

/** ACLValidator: only `read`, with `users` (strings) and `project-access` (boolean). */
export function validateAcl(body: unknown): Map<string, AclChange> {
  const schema = 'ACL';
  const data = checkSchema(
    schema,
    { properties: { read: { type: 'object' } }, additionalProperties: false },
    body,
  );
  const changes = new Map<string, AclChange>();
  const read = data.read as Record<string, unknown> | undefined;
  // acls.py applies only operations whose value is truthy (a non-empty object).
  if (!read || Object.keys(read).length === 0) return changes;
  checkSchema(
    schema,
    {
      properties: { users: { type: 'array' }, 'project-access': { type: 'boolean' } },
      additionalProperties: false,
    },
    read,
  );
  const users = read.users as unknown[] | undefined;
  // Barbican's schema gives `items` as a one-element list: JSON Schema's tuple form, so only the first user
  // id is checked, and the other ones are stored as sent.
  const first = users?.[0];
  if (users && users.length > 0 && typeof first !== 'string')
    throw invalidObject(schema, `${pyRepr(first)} is not of type 'string'`, 'read');
  if (typeof first === 'string' && [...first].length > 255)
    throw invalidObject(schema, `${pyRepr(first)} is too long`, 'read');
  changes.set('read', {
    ...(users && { users: users as string[] }),
    ...(typeof read['project-access'] === 'boolean' && { projectAccess: read['project-access'] as boolean }),
  });
  return changes;
}
