// SQL for flavor profiles and flavors (reference §10.3), plus the lookup a load balancer create uses to
// resolve its flavor. A flavor's name is unique (the table's constraint answers races); a flavor in use by
// a live load balancer cannot be deleted, and DELETED load balancers are pointed at the nil id instead.
import type { Selectable } from 'kysely';
import { type Flavor, type FlavorForLoadBalancer, type FlavorProfile, NIL_UUID } from '../../model/flavor.ts';
import { fromBool, toBool } from '../codec.ts';
import type { Db } from '../database.ts';
import type { FlavorProfileTable, FlavorTable } from '../schema.ts';

const toProfile = (row: Selectable<FlavorProfileTable>): FlavorProfile => ({
  id: row.id,
  name: row.name,
  providerName: row.provider_name,
  flavorData: row.flavor_data,
});

const toFlavor = (row: Selectable<FlavorTable>): Flavor => ({
  id: row.id,
  name: row.name,
  description: row.description,
  enabled: fromBool(row.enabled),
  flavorProfileId: row.flavor_profile_id,
});

export async function listFlavorProfiles(db: Db): Promise<FlavorProfile[]> {
  return (await db.selectFrom('flavor_profiles').selectAll().orderBy('id').execute()).map(toProfile);
}

export async function findFlavorProfile(db: Db, id: string): Promise<FlavorProfile | undefined> {
  const row = await db.selectFrom('flavor_profiles').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toProfile(row);
}

export async function insertFlavorProfile(db: Db, profile: FlavorProfile): Promise<void> {
  await db
    .insertInto('flavor_profiles')
    .values({
      id: profile.id,
      name: profile.name,
      provider_name: profile.providerName,
      flavor_data: profile.flavorData,
    })
    .execute();
}

export type FlavorProfileChanges = Partial<Omit<FlavorProfile, 'id'>>;

export async function updateFlavorProfile(db: Db, id: string, changes: FlavorProfileChanges): Promise<void> {
  const values = {
    ...(changes.name !== undefined && { name: changes.name }),
    ...(changes.providerName !== undefined && { provider_name: changes.providerName }),
    ...(changes.flavorData !== undefined && { flavor_data: changes.flavorData }),
  };
  if (Object.keys(values).length === 0) return;
  await db.updateTable('flavor_profiles').set(values).where('id', '=', id).execute();
}

/** Returns false when there was no such profile. */
export async function deleteFlavorProfile(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('flavor_profiles').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** How many flavors use the profile (its provider and data are then frozen, reference §10.3). */
export async function countFlavorsOfProfile(db: Db, profileId: string): Promise<number> {
  const row = await db
    .selectFrom('flavors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('flavor_profile_id', '=', profileId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listFlavors(db: Db): Promise<Flavor[]> {
  return (await db.selectFrom('flavors').selectAll().orderBy('id').execute()).map(toFlavor);
}

export async function findFlavor(db: Db, id: string): Promise<Flavor | undefined> {
  const row = await db.selectFrom('flavors').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toFlavor(row);
}

/** Throws the driver's unique violation when the name is taken (the caller answers 409). */
export async function insertFlavor(db: Db, flavor: Flavor): Promise<void> {
  await db
    .insertInto('flavors')
    .values({
      id: flavor.id,
      name: flavor.name,
      description: flavor.description,
      enabled: toBool(flavor.enabled),
      flavor_profile_id: flavor.flavorProfileId,
    })
    .execute();
}

export type FlavorChanges = Partial<Pick<Flavor, 'name' | 'description' | 'enabled'>>;

export async function updateFlavor(db: Db, id: string, changes: FlavorChanges): Promise<void> {
  const values = {
    ...(changes.name !== undefined && { name: changes.name }),
    ...(changes.description !== undefined && { description: changes.description }),
    ...(changes.enabled !== undefined && { enabled: toBool(changes.enabled) }),
  };
  if (Object.keys(values).length === 0) return;
  await db.updateTable('flavors').set(values).where('id', '=', id).execute();
}

/**
 * Deletes a flavor no live load balancer uses: 'in-use' when one does, 'not-found' when there is no such
 * flavor. DELETED load balancers keep existing until purged, so they are re-pointed at the nil id first
 * (as Octavia's FlavorRepository.delete does). Call inside a transaction.
 */
export async function deleteFlavor(db: Db, id: string): Promise<'deleted' | 'in-use' | 'not-found'> {
  const user = await db
    .selectFrom('load_balancers')
    .select('id')
    .where('flavor_id', '=', id)
    .where('provisioning_status', '!=', 'DELETED')
    .executeTakeFirst();
  if (user) return 'in-use';
  await db.updateTable('load_balancers').set({ flavor_id: NIL_UUID }).where('flavor_id', '=', id).execute();
  const result = await db.deleteFrom('flavors').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0 ? 'deleted' : 'not-found';
}

/**
 * The flavor a load balancer create refers to, with its profile's provider and decoded metadata; undefined
 * when there is no such flavor (the caller answers 400/404 as the load balancer reference says).
 */
export async function getFlavorForLoadBalancer(
  db: Db,
  flavorId: string,
): Promise<FlavorForLoadBalancer | undefined> {
  const row = await db
    .selectFrom('flavors as f')
    .innerJoin('flavor_profiles as p', 'p.id', 'f.flavor_profile_id')
    .select(['f.id', 'f.enabled', 'p.provider_name', 'p.flavor_data'])
    .where('f.id', '=', flavorId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    enabled: fromBool(row.enabled),
    providerName: row.provider_name,
    flavorData: decodeObject(row.flavor_data),
  };
}

/** Profile data is validated as a JSON object on the way in; anything else reads as no metadata. */
export function decodeObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
