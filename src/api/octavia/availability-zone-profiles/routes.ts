// `/availabilityzoneprofiles`: admin CRUD of availability zone profiles (reference §10.4, RBAC §9.2
// availability-zone-profile: admin). Like flavor profiles: the provider validates the data, provider and
// data are frozen while a zone uses the profile (409), which then also cannot be deleted.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { NIL_UUID } from '../../../model/flavor.ts';
import { newId } from '../../../store/codec.ts';
import {
  countZonesOfProfile,
  deleteAvailabilityZoneProfile,
  findAvailabilityZoneProfile,
  insertAvailabilityZoneProfile,
  listAvailabilityZoneProfiles,
  updateAvailabilityZoneProfile,
} from '../../../store/repositories/availability-zone-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { registerListRoute } from '../list-route.ts';
import { decodeProfileData, validateProfileData } from '../provider-data.ts';
import { octaviaRbac } from '../rbac.ts';
import { AVAILABILITY_ZONE_PROFILE_POST_ENVELOPE, AVAILABILITY_ZONE_PROFILE_PUT_ENVELOPE } from './schema.ts';
import {
  AVAILABILITY_ZONE_PROFILE_ATTRIBUTES,
  AVAILABILITY_ZONE_PROFILE_FILTERS,
  availabilityZoneProfileToWire as toWire,
} from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };
const RESOURCE = 'Availability Zone Profile';
const ARGUMENT = 'availability_zone_profile_';
const DATA = 'availability_zone_data';

export async function registerAvailabilityZoneProfileRoutes(
  app: FastifyInstance,
  context: ApiContext,
): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;
  const notFound = (id: string) => fail('octavia.not-found', { resource: RESOURCE, id });

  async function load(id: string) {
    const profile = id === NIL_UUID ? undefined : await findAvailabilityZoneProfile(db, id);
    if (!profile) throw notFound(id);
    return profile;
  }

  // The links key is singular, as in Octavia's AvailabilityZoneProfilesRootResponse
  // (https://opendev.org/openstack/octavia/src/branch/master/octavia/api/v2/types/availability_zone_profile.py).
  registerListRoute(app, rbac, {
    path: '/availabilityzoneprofiles',
    collection: 'availability_zone_profiles',
    links: 'availability_zone_profile_links',
    object: 'availability-zone-profile',
    scope: 'caller',
    rows: async () => (await listAvailabilityZoneProfiles(db)).map(toWire),
    attributes: AVAILABILITY_ZONE_PROFILE_ATTRIBUTES,
    filters: AVAILABILITY_ZONE_PROFILE_FILTERS,
  });

  app.post('/availabilityzoneprofiles', octavia, async (request, reply) => {
    const envelope = readBody(request, ARGUMENT, AVAILABILITY_ZONE_PROFILE_POST_ENVELOPE);
    const body = envelope.availability_zone_profile as Record<string, string | null>;
    const ctx = caller(request);
    enforce(ctx, 'availability-zone-profile', 'post', ctx.projectId);
    for (const option of [DATA, 'provider_name', 'name']) {
      if (body[option] === null) throw fail('octavia.invalid-option', { value: 'None', option });
    }
    const { name, provider_name: providerName, [DATA]: data } = body as Record<string, string>;
    validateProfileData(context, providerName, 'availability_zone', data, DATA, request.log);
    const id = newId();
    await insertAvailabilityZoneProfile(db, { id, name, providerName, availabilityZoneData: data });
    return reply.code(201).send({ availability_zone_profile: toWire(await load(id)) });
  });

  app.get<IdParams>('/availabilityzoneprofiles/:id', octavia, async (request) => {
    const ctx = caller(request);
    enforce(ctx, 'availability-zone-profile', 'get_one', ctx.projectId);
    return { availability_zone_profile: project(toWire(await load(request.params.id)), request.query) };
  });

  app.put<IdParams>('/availabilityzoneprofiles/:id', octavia, async (request) => {
    const envelope = readBody(request, ARGUMENT, AVAILABILITY_ZONE_PROFILE_PUT_ENVELOPE);
    const body = envelope.availability_zone_profile as Record<string, string | null | undefined>;
    const ctx = caller(request);
    enforce(ctx, 'availability-zone-profile', 'put', ctx.projectId);
    const { id } = request.params;
    for (const option of ['name', 'provider_name', DATA]) {
      if (body[option] === null) throw fail('octavia.invalid-option', { value: 'None', option });
    }
    const { name, provider_name: providerName, [DATA]: data } = body as Record<string, string>;
    await db.transaction().execute(async (trx) => {
      const touchesProvider = providerName !== undefined || data !== undefined;
      if (touchesProvider && (await countZonesOfProfile(trx, id)) > 0) {
        throw fail('octavia.object-in-use', { object: RESOURCE, id });
      }
      if (id === NIL_UUID) throw notFound(id);
      // Octavia's PUT names the wrong option here (availability_zone_profiles.py: constants.FLAVOR_DATA).
      if (data !== undefined) decodeProfileData(data, 'flavor_data');
      const current = await findAvailabilityZoneProfile(trx, id);
      if (!current) throw notFound(id);
      if (touchesProvider) {
        const provider = providerName ?? current.providerName;
        validateProfileData(
          context,
          provider,
          'availability_zone',
          data ?? current.availabilityZoneData,
          DATA,
          request.log,
        );
      }
      await updateAvailabilityZoneProfile(trx, id, { name, providerName, availabilityZoneData: data });
    });
    return { availability_zone_profile: toWire(await load(id)) };
  });

  app.delete<IdParams>('/availabilityzoneprofiles/:id', octavia, async (request, reply) => {
    const ctx = caller(request);
    enforce(ctx, 'availability-zone-profile', 'delete', ctx.projectId);
    const { id } = request.params;
    if (id === NIL_UUID) throw notFound(id);
    await db.transaction().execute(async (trx) => {
      if ((await countZonesOfProfile(trx, id)) > 0) {
        throw fail('octavia.object-in-use', { object: RESOURCE, id });
      }
      if (!(await deleteAvailabilityZoneProfile(trx, id))) throw notFound(id);
    });
    return reply.code(204).send();
  });
}
