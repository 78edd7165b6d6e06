// Secrets in the store: metadata rows with their payload sealed by the secret cipher (never stored or
// returned in plaintext from here except by readPayload), project-scoped listing with Barbican's filters
// and paging, and the check that the configured key is the one the payloads were sealed with.
import type { Selectable } from 'kysely';
import type { Secret } from '../../model/secret.ts';
import { newId, now } from '../codec.ts';
import type { Db } from '../database.ts';
import { type SecretCipher, SecretKeyMismatchError } from '../secret-cipher.ts';
import type { SecretTable } from '../secret-store-schema.ts';

/** What a new secret records; its payload (if any) comes separately, to be sealed. */
export type SecretInput = Pick<
  Secret,
  'projectId' | 'creatorId' | 'name' | 'secretType' | 'algorithm' | 'bitLength' | 'mode' | 'expiration'
>;

export type Payload = Readonly<{ bytes: Buffer; contentType: string }>;

export type SecretFilters = Readonly<{
  name?: string;
  algorithm?: string;
  mode?: string;
  bitLength?: number;
  secretType?: string;
  /** only secrets whose read ACL names this user (Barbican's acl_only=true) */
  aclUser?: string;
  /** Barbican's created/updated/expiration filters: each a column compared with an ISO time */
  dates?: readonly (readonly [
    'created_at' | 'updated_at' | 'expiration',
    '=' | '>' | '>=' | '<' | '<=',
    string,
  ])[];
  sort?: readonly (readonly [keyof typeof SORT_COLUMNS, 'asc' | 'desc'])[];
}>;

/** barbican's _is_valid_sorting keys and the columns they order by */
export const SORT_COLUMNS = {
  algorithm: 'algorithm',
  bit_length: 'bit_length',
  created: 'created_at',
  expiration: 'expiration',
  mode: 'mode',
  name: 'name',
  secret_type: 'secret_type',
  status: 'id',
  updated: 'updated_at',
} as const;

function toSecret(row: Selectable<SecretTable>): Secret {
  return {
    id: row.id,
    projectId: row.project_id,
    creatorId: row.creator_id,
    name: row.name,
    secretType: row.secret_type,
    algorithm: row.algorithm,
    bitLength: row.bit_length,
    mode: row.mode,
    expiration: row.expiration,
    contentType: row.content_type,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function sealedColumns(cipher: SecretCipher, id: string, payload: Payload) {
  const sealed = cipher.seal(id, payload.bytes);
  return {
    content_type: payload.contentType,
    payload_nonce: sealed.nonce,
    payload_ciphertext: sealed.ciphertext,
    payload_tag: sealed.tag,
  };
}

export async function createSecret(
  db: Db,
  cipher: SecretCipher,
  input: SecretInput,
  payload: Payload | undefined,
): Promise<Secret> {
  const id = newId();
  const at = now();
  const row = {
    id,
    project_id: input.projectId,
    creator_id: input.creatorId,
    name: input.name,
    secret_type: input.secretType,
    algorithm: input.algorithm,
    bit_length: input.bitLength,
    mode: input.mode,
    expiration: input.expiration,
    content_type: null,
    payload_nonce: null,
    payload_ciphertext: null,
    payload_tag: null,
    created_at: at,
    updated_at: at,
    ...(payload && sealedColumns(cipher, id, payload)),
  };
  await db.insertInto('secrets').values(row).execute();
  return toSecret(row);
}

/** Stores the payload of a metadata-only secret; false when it already has one (Barbican's 409). */
export async function storePayload(
  db: Db,
  cipher: SecretCipher,
  id: string,
  payload: Payload,
): Promise<boolean> {
  const result = await db
    .updateTable('secrets')
    .set({ ...sealedColumns(cipher, id, payload), updated_at: now() })
    .where('id', '=', id)
    .where('content_type', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A secret by id, unless it has expired (Barbican's get_secret_by_id hides expired secrets). */
export async function getSecret(db: Db, id: string): Promise<Secret | undefined> {
  const row = await db
    .selectFrom('secrets')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('expiration', 'is', null), eb('expiration', '>', now())]))
    .executeTakeFirst();
  return row && toSecret(row);
}

/** The decrypted payload, or undefined when the secret has none; a wrong key throws SecretKeyMismatchError. */
export async function readPayload(db: Db, cipher: SecretCipher, id: string): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('secrets')
    .select(['payload_nonce', 'payload_ciphertext', 'payload_tag'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.payload_nonce || row.payload_ciphertext === null || !row.payload_tag) return undefined;
  return cipher.open(id, {
    nonce: row.payload_nonce,
    ciphertext: row.payload_ciphertext,
    tag: row.payload_tag,
  });
}

export async function listSecrets(
  db: Db,
  projectId: string,
  filters: SecretFilters,
  page: Readonly<{ offset: number; limit: number }>,
): Promise<{ secrets: Secret[]; total: number }> {
  // name/alg/mode are SQL LIKE patterns in Barbican (repositories.py get_secret_list).
  let query = db
    .selectFrom('secrets')
    .where((eb) => eb.or([eb('expiration', 'is', null), eb('expiration', '>', now())]));
  if (filters.aclUser !== undefined) {
    const user = filters.aclUser;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('secret_acls')
          .select('secret_acls.entity_id')
          .whereRef('secret_acls.entity_id', '=', 'secrets.id')
          .where('secret_acls.entity_kind', '=', 'secret')
          .where('secret_acls.users', 'like', `%${JSON.stringify(user)}%`),
      ),
    );
  } else query = query.where('project_id', '=', projectId);
  if (filters.name) query = query.where('name', 'like', filters.name);
  if (filters.algorithm) query = query.where('algorithm', 'like', filters.algorithm);
  if (filters.mode) query = query.where('mode', 'like', filters.mode);
  if (filters.bitLength) query = query.where('bit_length', '=', filters.bitLength);
  if (filters.secretType) query = query.where('secret_type', '=', filters.secretType);
  for (const [column, op, time] of filters.dates ?? []) query = query.where(column, op, time);
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let rows = query.selectAll();
  for (const [key, direction] of filters.sort ?? []) rows = rows.orderBy(SORT_COLUMNS[key], direction);
  const found = await rows
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { secrets: found.map(toSecret), total: Number(counted.n) };
}

export async function deleteSecret(db: Db, id: string): Promise<void> {
  await db
    .deleteFrom('secret_acls')
    .where('entity_kind', '=', 'secret')
    .where('entity_id', '=', id)
    .execute();
  await db.deleteFrom('secrets').where('id', '=', id).execute();
}

const KEY_CHECK_ID = 'secret-store-key-check';
const KEY_CHECK_TEXT = Buffer.from('sluice secret store key check', 'utf8');

/**
 * Seals a known value on first use and opens it on every later start, so a changed or wrong key stops the
 * service with a clear message instead of failing later on each payload.
 */
export async function checkStoreKey(db: Db, cipher: SecretCipher): Promise<void> {
  const row = await db
    .selectFrom('secret_store_key_check')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!row) {
    const sealed = cipher.seal(KEY_CHECK_ID, KEY_CHECK_TEXT);
    await db
      .insertInto('secret_store_key_check')
      .values({ id: 1, ...sealed })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return;
  }
  let opened: Buffer;
  try {
    opened = cipher.open(KEY_CHECK_ID, row);
  } catch {
    throw new SecretKeyMismatchError(`this database's secrets (key ${cipher.fingerprint})`);
  }
  if (!opened.equals(KEY_CHECK_TEXT)) throw new SecretKeyMismatchError("this database's secrets");
}
