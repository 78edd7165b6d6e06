// Neutron resource tags on the wire (standard-attr-tag): every object shows `tags` (list filters are
// wire/listing.ts filterTags), and the validation of tag bodies. Rules and messages follow
// neutron/extensions/tagging.py (validate_tag, validate_tags) and neutron-lib's validate_string and
// validate_list_of_unique_strings: https://opendev.org/openstack/neutron/src/branch/master/neutron/extensions/tagging.py
import { SluiceError } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { tagsOf } from '../../store/repositories/tag-repository.ts';
import { pyStr } from '../wire/py-str.ts';
import type { WireObject } from './neutron-wire.ts';

/** tagging.py MAX_TAG_LEN; Neutron sets no limit on the number of tags. */
export const MAX_TAG_LEN = 255;

/** The wire objects with their `tags` (sorted) added. */
export async function taggedAll(db: Db, rows: readonly WireObject[]): Promise<WireObject[]> {
  const tags = await tagsOf(
    db,
    rows.map((row) => row.id as string),
  );
  return rows.map((row) => ({ ...row, tags: tags.get(row.id as string) ?? [] }));
}

export const tagged = async (db: Db, row: WireObject): Promise<WireObject> => (await taggedAll(db, [row]))[0];

const invalidInput = (detail: string) => new SluiceError('network.bad-request', { detail }, 'InvalidInput');

/** validators.validate_string(tag, MAX_TAG_LEN) for the `{tag}` path segment. */
export function checkTag(tag: string): string {
  // NUL cannot be stored in a PostgreSQL text column (as for names, neutron-validators.ts str).
  if (tag.includes('\u0000')) throw invalidInput(`'${tag}' contains a NUL character`);
  if (tag.length > MAX_TAG_LEN) throw invalidInput(`'${tag}' exceeds maximum length of ${MAX_TAG_LEN}`);
  return tag;
}

/** validate_tags: `{"tags": [...]}` with a list of unique strings of at most MAX_TAG_LEN characters. */
export function checkTagsBody(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Object.hasOwn(body, 'tags'))
    throw invalidInput('Invalid tags body');
  const tags = (body as { tags: unknown }).tags;
  if (!Array.isArray(tags)) throw invalidInput(`'${pyStr(tags)}' is not a list`);
  for (const tag of tags) {
    if (typeof tag !== 'string') throw invalidInput(`'${pyStr(tag)}' is not a valid string`);
    checkTag(tag);
  }
  const duplicates = tags.filter((tag, i) => tags.indexOf(tag) !== i);
  if (duplicates.length > 0) throw invalidInput(`Duplicate items in the list: '${duplicates.join(', ')}'`);
  return tags;
}
