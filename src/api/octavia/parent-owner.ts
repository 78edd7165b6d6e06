// The parent a list under a parent (a pool's members, a policy's rules) belongs to, read alone, or Octavia's
// 404 for it: what both lists check before they read.
import { fail } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { type Owner, ownerOf } from '../../store/repositories/owner-of.ts';

export async function parentOwner(
  db: Db,
  table: 'pools' | 'l7policies',
  resource: 'Pool' | 'L7Policy',
  id: string,
): Promise<Owner> {
  const owner = await ownerOf(db, table, id);
  if (!owner) throw fail('octavia.not-found', { resource, id });
  return owner;
}
