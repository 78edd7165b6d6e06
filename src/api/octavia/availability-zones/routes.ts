// `/availabilityzones/{name}`: zones users pick at load balancer creation, addressed by name (reference
// §10.4; RBAC §9.2 availability-zone: read for everyone with a load-balancer role, writes admin only).
// Names are unique (409), the profile must exist, and a zone a live load balancer uses cannot be deleted.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { NIL_UUID } from '../../../model/flavor.ts';
import { isUniqueViolation } from '../../../store/codec.ts';
import {
  type AvailabilityZoneChanges,
  deleteAvailabilityZone,
  findAvailabilityZone,
  findAvailabilityZoneProfile,
  insertAvailabilityZone,
  listAvailabilityZones,
  updateAvailabilityZone,
} from '../../../store/repositories/availability-zone-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { registerListRoute } from '../list-route.ts';
import { octaviaRbac } from '../rbac.ts';
import { AVAILABILITY_ZONE_POST_ENVELOPE, AVAILABILITY_ZONE_PUT_ENVELOPE } from './schema.ts';
import {
  AVAILABILITY_ZONE_ATTRIBUTES,
  AVAILABILITY_ZONE_FILTERS,
  availabilityZoneToWire as toWire,
} from './wire.ts';

type NameParams = { Params: { name: string }; Querystring: Query };
type Body = Record<string, unknown>;
const octavia = { config: { family: 'octavia' as const } };
const RESOURCE = 'Availability Zone';
const ARGUMENT = 'availability_zone_';

export async function registerAvailabilityZoneRoutes(
  app: FastifyInstance,
  context: ApiContext,
): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;
  const notFound = (name: string) => fail('octavia.not-found', { resource: RESOURCE, id: name });

  async function load(name: string) {
    const zone = name === NIL_UUID ? undefined : await findAvailabilityZone(db, name);
    if (!zone) throw notFound(name);
    return zone;
  }

  registerListRoute(app, rbac, {
    path: '/availabilityzones',
    collection: 'availability_zones',
    object: 'availability-zone',
    scope: 'caller',
    rows: async () => (await listAvailabilityZones(db)).map(toWire),
    attributes: AVAILABILITY_ZONE_ATTRIBUTES,
    filters: AVAILABILITY_ZONE_FILTERS,
  });

  app.post('/availabilityzones', octavia, async (request, reply) => {
    const body = readBody(request, ARGUMENT, AVAILABILITY_ZONE_POST_ENVELOPE).availability_zone as Body;
    const ctx = caller(request);
    enforce(ctx, 'availability-zone', 'post', ctx.projectId);
    for (const option of ['name', 'availability_zone_profile_id']) {
      if (body[option] === null) throw fail('octavia.invalid-option', { value: 'None', option });
    }
    const name = body.name as string;
    const profileId = body.availability_zone_profile_id as string;
    try {
      await db.transaction().execute(async (trx) => {
        // Octavia leaves this to the foreign key (a 500); a referenced id that does not exist is a 400 here.
        if (profileId === NIL_UUID || !(await findAvailabilityZoneProfile(trx, profileId))) {
          throw fail('octavia.invalid-subresource', { resource: 'Availability Zone Profile', id: profileId });
        }
        await insertAvailabilityZone(trx, {
          name,
          description: (body.description as string | null | undefined) ?? null,
          // enabled defaults to true (AvailabilityZonePOST); null means the default.
          enabled: (body.enabled as boolean | null | undefined) ?? true,
          availabilityZoneProfileId: profileId,
        });
      });
    } catch (error) {
      // The primary key answers races: RecordAlreadyExists (availability_zones.py).
      if (isUniqueViolation(error)) throw fail('octavia.record-exists', { field: 'availability zone', name });
      throw error;
    }
    return reply.code(201).send({ availability_zone: toWire(await load(name)) });
  });

  app.get<NameParams>('/availabilityzones/:name', octavia, async (request) => {
    const ctx = caller(request);
    enforce(ctx, 'availability-zone', 'get_one', ctx.projectId);
    return { availability_zone: project(toWire(await load(request.params.name)), request.query) };
  });

  app.put<NameParams>('/availabilityzones/:name', octavia, async (request) => {
    const body = readBody(request, ARGUMENT, AVAILABILITY_ZONE_PUT_ENVELOPE).availability_zone as Body;
    const ctx = caller(request);
    enforce(ctx, 'availability-zone', 'put', ctx.projectId);
    const { name } = request.params;
    await load(name);
    const changes: AvailabilityZoneChanges = {
      ...('description' in body && { description: body.description as string | null }),
      // null puts enabled back to its default, true.
      ...('enabled' in body && { enabled: (body.enabled as boolean | null) ?? true }),
    };
    await updateAvailabilityZone(db, name, changes);
    return { availability_zone: toWire(await load(name)) };
  });

  app.delete<NameParams>('/availabilityzones/:name', octavia, async (request, reply) => {
    const ctx = caller(request);
    enforce(ctx, 'availability-zone', 'delete', ctx.projectId);
    const { name } = request.params;
    if (name === NIL_UUID) throw notFound(name);
    const outcome = await db.transaction().execute((trx) => deleteAvailabilityZone(trx, name));
    if (outcome === 'in-use') throw fail('octavia.object-in-use', { object: RESOURCE, id: name });
    if (outcome === 'not-found') throw notFound(name);
    return reply.code(204).send();
  });
}
