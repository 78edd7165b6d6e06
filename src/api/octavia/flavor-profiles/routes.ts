// `/flavorprofiles`: admin CRUD of flavor profiles (reference §10.3, RBAC §9.2 flavor-profile: admin). The
// provider validates flavor_data on create and on change; provider and data are frozen while a flavor uses
// the profile (409), which also cannot be deleted then. The checks follow Octavia's flavor_profiles.py order.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { NIL_UUID } from '../../../model/flavor.ts';
import { newId } from '../../../store/codec.ts';
import {
  countFlavorsOfProfile,
  deleteFlavorProfile,
  findFlavorProfile,
  insertFlavorProfile,
  listFlavorProfiles,
  updateFlavorProfile,
} from '../../../store/repositories/flavor-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { registerListRoute } from '../list-route.ts';
import { decodeProfileData, validateProfileData } from '../provider-data.ts';
import { octaviaRbac } from '../rbac.ts';
import { FLAVOR_PROFILE_POST_ENVELOPE, FLAVOR_PROFILE_PUT_ENVELOPE } from './schema.ts';
import { FLAVOR_PROFILE_ATTRIBUTES, FLAVOR_PROFILE_FILTERS, flavorProfileToWire } from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };
const RESOURCE = 'Flavor profile';

export async function registerFlavorProfileRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;
  const notFound = (id: string) => fail('octavia.not-found', { resource: RESOURCE, id });

  async function load(id: string) {
    const profile = id === NIL_UUID ? undefined : await findFlavorProfile(db, id);
    if (!profile) throw notFound(id);
    return profile;
  }

  // The links key is singular, as in Octavia's FlavorProfilesRootResponse
  // (https://opendev.org/openstack/octavia/src/branch/master/octavia/api/v2/types/flavor_profile.py).
  registerListRoute(app, rbac, {
    path: '/flavorprofiles',
    collection: 'flavorprofiles',
    links: 'flavorprofile_links',
    object: 'flavor-profile',
    scope: 'caller',
    rows: async () => (await listFlavorProfiles(db)).map(flavorProfileToWire),
    attributes: FLAVOR_PROFILE_ATTRIBUTES,
    filters: FLAVOR_PROFILE_FILTERS,
  });

  app.post('/flavorprofiles', octavia, async (request, reply) => {
    const body = readBody(request, 'flavor_profile_', FLAVOR_PROFILE_POST_ENVELOPE).flavorprofile as Record<
      string,
      string | null
    >;
    const ctx = caller(request);
    enforce(ctx, 'flavor-profile', 'post', ctx.projectId);
    // WSME lets an explicit null through a mandatory field; Octavia then fails on it (InvalidOption).
    for (const option of ['flavor_data', 'provider_name', 'name']) {
      if (body[option] === null) throw fail('octavia.invalid-option', { value: 'None', option });
    }
    const { name, provider_name: providerName, flavor_data: flavorData } = body as Record<string, string>;
    validateProfileData(context, providerName, 'flavor', flavorData, 'flavor_data', request.log);
    const id = newId();
    await insertFlavorProfile(db, { id, name, providerName, flavorData });
    return reply.code(201).send({ flavorprofile: flavorProfileToWire(await load(id)) });
  });

  app.get<IdParams>('/flavorprofiles/:id', octavia, async (request) => {
    const ctx = caller(request);
    enforce(ctx, 'flavor-profile', 'get_one', ctx.projectId);
    return { flavorprofile: project(flavorProfileToWire(await load(request.params.id)), request.query) };
  });

  app.put<IdParams>('/flavorprofiles/:id', octavia, async (request) => {
    const body = readBody(request, 'flavor_profile_', FLAVOR_PROFILE_PUT_ENVELOPE).flavorprofile as Record<
      string,
      string | null | undefined
    >;
    const ctx = caller(request);
    enforce(ctx, 'flavor-profile', 'put', ctx.projectId);
    const { id } = request.params;
    // null never resets a profile field (reference §10.3: "null → 400").
    for (const option of ['name', 'provider_name', 'flavor_data']) {
      if (body[option] === null) throw fail('octavia.invalid-option', { value: 'None', option });
    }
    const { name, provider_name: providerName, flavor_data: flavorData } = body as Record<string, string>;
    await db.transaction().execute(async (trx) => {
      const touchesProvider = providerName !== undefined || flavorData !== undefined;
      if (touchesProvider && (await countFlavorsOfProfile(trx, id)) > 0) {
        throw fail('octavia.object-in-use', { object: RESOURCE, id });
      }
      if (id === NIL_UUID) throw notFound(id);
      if (flavorData !== undefined) decodeProfileData(flavorData, 'flavor_data');
      const current = await findFlavorProfile(trx, id);
      if (!current) throw notFound(id);
      // The provider judges the profile it would end up with, whichever half of it changes.
      if (touchesProvider) {
        validateProfileData(
          context,
          providerName ?? current.providerName,
          'flavor',
          flavorData ?? current.flavorData,
          'flavor_data',
          request.log,
        );
      }
      await updateFlavorProfile(trx, id, { name, providerName, flavorData });
    });
    return { flavorprofile: flavorProfileToWire(await load(id)) };
  });

  app.delete<IdParams>('/flavorprofiles/:id', octavia, async (request, reply) => {
    const ctx = caller(request);
    enforce(ctx, 'flavor-profile', 'delete', ctx.projectId);
    const { id } = request.params;
    if (id === NIL_UUID) throw notFound(id);
    await db.transaction().execute(async (trx) => {
      if ((await countFlavorsOfProfile(trx, id)) > 0) {
        throw fail('octavia.object-in-use', { object: RESOURCE, id });
      }
      if (!(await deleteFlavorProfile(trx, id))) throw notFound(id);
    });
    return reply.code(204).send();
  });
}
