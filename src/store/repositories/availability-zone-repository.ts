// SQL for availability zone profiles and availability zones (reference §10.4), plus the lookup a load
// balancer create uses to resolve its zone. Zones are keyed by name; a zone a live load balancer uses cannot
// be deleted, and DELETED load balancers let go of it (as Octavia's AvailabilityZoneRepository.delete does).
import type { Selectable } from 'kysely';
import type {
  AvailabilityZone,
  AvailabilityZoneForLoadBalancer,
  AvailabilityZoneProfile,
} from '../../model/availability-zone.ts';
import { fromBool, toBool } from '../codec.ts';
import type { Db } from '../database.ts';
import type { AvailabilityZoneProfileTable, AvailabilityZoneTable } from '../schema.ts';
import { decodeObject } from './flavor-repository.ts';

const toProfile = (row: Selectable<AvailabilityZoneProfileTable>): AvailabilityZoneProfile => ({
  id: row.id,
  name: row.name,
  providerName: row.provider_name,
  availabilityZoneData: row.availability_zone_data,
});

const toZone = (row: Selectable<AvailabilityZoneTable>): AvailabilityZone => ({
  name: row.name,
  description: row.description,
  enabled: fromBool(row.enabled),
  availabilityZoneProfileId: row.availability_zone_profile_id,
});

export async function listAvailabilityZoneProfiles(db: Db): Promise<AvailabilityZoneProfile[]> {
  const rows = await db.selectFrom('availability_zone_profiles').selectAll().orderBy('id').execute();
  return rows.map(toProfile);
}

export async function findAvailabilityZoneProfile(
  db: Db,
  id: string,
): Promise<AvailabilityZoneProfile | undefined> {
  const row = await db
    .selectFrom('availability_zone_profiles')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toProfile(row);
}

export async function insertAvailabilityZoneProfile(db: Db, profile: AvailabilityZoneProfile): Promise<void> {
  await db
    .insertInto('availability_zone_profiles')
    .values({
      id: profile.id,
      name: profile.name,
      provider_name: profile.providerName,
      availability_zone_data: profile.availabilityZoneData,
    })
    .execute();
}

export type AvailabilityZoneProfileChanges = Partial<Omit<AvailabilityZoneProfile, 'id'>>;

export async function updateAvailabilityZoneProfile(
  db: Db,
  id: string,
  changes: AvailabilityZoneProfileChanges,
): Promise<void> {
  const values = {
    ...(changes.name !== undefined && { name: changes.name }),
    ...(changes.providerName !== undefined && { provider_name: changes.providerName }),
    ...(changes.availabilityZoneData !== undefined && {
      availability_zone_data: changes.availabilityZoneData,
    }),
  };
  if (Object.keys(values).length === 0) return;
  await db.updateTable('availability_zone_profiles').set(values).where('id', '=', id).execute();
}

/** Returns false when there was no such profile. */
export async function deleteAvailabilityZoneProfile(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('availability_zone_profiles').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** How many zones use the profile (its provider and data are then frozen, reference §10.4). */
export async function countZonesOfProfile(db: Db, profileId: string): Promise<number> {
  const row = await db
    .selectFrom('availability_zones')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('availability_zone_profile_id', '=', profileId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listAvailabilityZones(db: Db): Promise<AvailabilityZone[]> {
  return (await db.selectFrom('availability_zones').selectAll().orderBy('name').execute()).map(toZone);
}

export async function findAvailabilityZone(db: Db, name: string): Promise<AvailabilityZone | undefined> {
  const row = await db
    .selectFrom('availability_zones')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  return row && toZone(row);
}

/** Throws the driver's unique violation when the name is taken (the caller answers 409). */
export async function insertAvailabilityZone(db: Db, zone: AvailabilityZone): Promise<void> {
  await db
    .insertInto('availability_zones')
    .values({
      name: zone.name,
      description: zone.description,
      enabled: toBool(zone.enabled),
      availability_zone_profile_id: zone.availabilityZoneProfileId,
    })
    .execute();
}

export type AvailabilityZoneChanges = Partial<Pick<AvailabilityZone, 'description' | 'enabled'>>;

export async function updateAvailabilityZone(
  db: Db,
  name: string,
  changes: AvailabilityZoneChanges,
): Promise<void> {
  const values = {
    ...(changes.description !== undefined && { description: changes.description }),
    ...(changes.enabled !== undefined && { enabled: toBool(changes.enabled) }),
  };
  if (Object.keys(values).length === 0) return;
  await db.updateTable('availability_zones').set(values).where('name', '=', name).execute();
}

/**
 * Deletes a zone no live load balancer uses: 'in-use' when one does, 'not-found' when there is no such
 * zone. DELETED load balancers are detached from it first. Call inside a transaction.
 */
export async function deleteAvailabilityZone(
  db: Db,
  name: string,
): Promise<'deleted' | 'in-use' | 'not-found'> {
  const user = await db
    .selectFrom('load_balancers')
    .select('id')
    .where('availability_zone', '=', name)
    .where('provisioning_status', '!=', 'DELETED')
    .executeTakeFirst();
  if (user) return 'in-use';
  await db
    .updateTable('load_balancers')
    .set({ availability_zone: null })
    .where('availability_zone', '=', name)
    .execute();
  const result = await db.deleteFrom('availability_zones').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0 ? 'deleted' : 'not-found';
}

/**
 * The zone a load balancer create refers to, with its profile's provider and decoded metadata; undefined
 * when there is no such zone.
 */
export async function getAvailabilityZoneForLoadBalancer(
  db: Db,
  name: string,
): Promise<AvailabilityZoneForLoadBalancer | undefined> {
  const row = await db
    .selectFrom('availability_zones as z')
    .innerJoin('availability_zone_profiles as p', 'p.id', 'z.availability_zone_profile_id')
    .select(['z.name', 'z.enabled', 'p.provider_name', 'p.availability_zone_data'])
    .where('z.name', '=', name)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    name: row.name,
    enabled: fromBool(row.enabled),
    providerName: row.provider_name,
    data: decodeObject(row.availability_zone_data),
  };
}
