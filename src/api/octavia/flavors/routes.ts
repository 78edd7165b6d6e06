// `/flavors`: flavors users pick at load balancer creation (reference §10.3; RBAC §9.2 flavor: read for
// everyone with a load-balancer role, writes admin only). Names are unique (409), the profile must exist,
// and a flavor a live load balancer uses cannot be deleted (409). Checks follow Octavia's flavors.py order.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { NIL_UUID } from '../../../model/flavor.ts';
import { isUniqueViolation, newId } from '../../../store/codec.ts';
import {
  deleteFlavor,
  type FlavorChanges,
  findFlavor,
  findFlavorProfile,
  insertFlavor,
  listFlavors,
  updateFlavor,
} from '../../../store/repositories/flavor-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { registerListRoute } from '../list-route.ts';
import { octaviaRbac } from '../rbac.ts';
import { FLAVOR_POST_ENVELOPE, FLAVOR_PUT_ENVELOPE } from './schema.ts';
import { FLAVOR_ATTRIBUTES, FLAVOR_FILTERS, flavorToWire } from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
type Body = Record<string, unknown>;
const octavia = { config: { family: 'octavia' as const } };

export async function registerFlavorRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;
  const notFound = (id: string) => fail('octavia.not-found', { resource: 'Flavor', id });

  async function load(id: string) {
    const flavor = id === NIL_UUID ? undefined : await findFlavor(db, id);
    if (!flavor) throw notFound(id);
    return flavor;
  }

  /** A taken name is the unique constraint's answer, so concurrent creates cannot both pass (RecordAlreadyExists). */
  async function uniqueName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error))
        throw fail('octavia.record-exists', { field: 'flavor', name: name ?? '' });
      throw error;
    }
  }

  registerListRoute(app, rbac, {
    path: '/flavors',
    collection: 'flavors',
    object: 'flavor',
    scope: 'caller',
    rows: async () => (await listFlavors(db)).map(flavorToWire),
    attributes: FLAVOR_ATTRIBUTES,
    filters: FLAVOR_FILTERS,
  });

  app.post('/flavors', octavia, async (request, reply) => {
    const body = readBody(request, 'flavor_', FLAVOR_POST_ENVELOPE).flavor as Body;
    const ctx = caller(request);
    enforce(ctx, 'flavor', 'post', ctx.projectId);
    for (const option of ['name', 'flavor_profile_id']) {
      if (body[option] === null) throw fail('octavia.invalid-option', { value: 'None', option });
    }
    const name = body.name as string;
    const profileId = body.flavor_profile_id as string;
    const id = newId();
    await uniqueName(name, () =>
      db.transaction().execute(async (trx) => {
        // Octavia leaves this to the foreign key (a 500); a referenced id that does not exist is a 400 here.
        if (profileId === NIL_UUID || !(await findFlavorProfile(trx, profileId))) {
          throw fail('octavia.invalid-subresource', { resource: 'Flavor profile', id: profileId });
        }
        await insertFlavor(trx, {
          id,
          name,
          description: (body.description as string | null | undefined) ?? null,
          // enabled defaults to true (FlavorPOST); null means the default.
          enabled: (body.enabled as boolean | null | undefined) ?? true,
          flavorProfileId: profileId,
        });
      }),
    );
    return reply.code(201).send({ flavor: flavorToWire(await load(id)) });
  });

  app.get<IdParams>('/flavors/:id', octavia, async (request) => {
    const ctx = caller(request);
    enforce(ctx, 'flavor', 'get_one', ctx.projectId);
    return { flavor: project(flavorToWire(await load(request.params.id)), request.query) };
  });

  app.put<IdParams>('/flavors/:id', octavia, async (request) => {
    const body = readBody(request, 'flavor_', FLAVOR_PUT_ENVELOPE).flavor as Body;
    const ctx = caller(request);
    enforce(ctx, 'flavor', 'put', ctx.projectId);
    const { id } = request.params;
    if (id === NIL_UUID) throw notFound(id);
    if (body.name === null) throw fail('octavia.invalid-option', { value: 'None', option: 'name' });
    const changes: FlavorChanges = {
      ...('name' in body && { name: body.name as string }),
      ...('description' in body && { description: body.description as string | null }),
      // null puts enabled back to its default, true.
      ...('enabled' in body && { enabled: (body.enabled as boolean | null) ?? true }),
    };
    await load(id);
    await uniqueName(changes.name, () => updateFlavor(db, id, changes));
    return { flavor: flavorToWire(await load(id)) };
  });

  app.delete<IdParams>('/flavors/:id', octavia, async (request, reply) => {
    const ctx = caller(request);
    enforce(ctx, 'flavor', 'delete', ctx.projectId);
    const { id } = request.params;
    if (id === NIL_UUID) throw notFound(id);
    const outcome = await db.transaction().execute((trx) => deleteFlavor(trx, id));
    if (outcome === 'in-use') throw fail('octavia.object-in-use', { object: 'Flavor', id });
    if (outcome === 'not-found') throw notFound(id);
    return reply.code(204).send();
  });
}
