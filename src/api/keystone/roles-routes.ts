// Role routes (reference §1.3): list, show, create, rename and delete, all for admins. Role names are unique
// case-insensitively (409); only global roles exist (`domain_id` null).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { authorizeKeystone, KEYSTONE_ROUTE } from './keystone-access.ts';
import { invalid, queryValue, readEnvelope, requiredString } from './keystone-input.ts';
import { listBody, type Mount, roleWire } from './keystone-wire.ts';

type IdParams = { Params: { id: string } };
const NAME = { max: 255 } as const;

export function registerRoleRoutes(app: FastifyInstance, context: ApiContext, mount: Mount): void {
  const { roles } = context.identity;
  const p = mount.prefix;

  app.get(`${p}/roles`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'list_roles');
    const list = await roles.listRoles({ name: queryValue(request, 'name') });
    return listBody(
      'roles',
      list.map((role) => roleWire(role, mount)),
      request,
      mount,
    );
  });

  app.post(`${p}/roles`, KEYSTONE_ROUTE, async (request, reply) => {
    authorizeKeystone(request, 'create_role');
    const body = readEnvelope(request, 'role');
    if (body.domain_id !== undefined && body.domain_id !== null) {
      throw invalid('domain_id', 'domain-specific roles are not supported');
    }
    const role = await roles.createRole(requiredString(body, 'name', NAME));
    reply.code(201);
    return { role: roleWire(role, mount) };
  });

  app.get<IdParams>(`${p}/roles/:id`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'get_role');
    return { role: roleWire(await roles.getRole(request.params.id), mount) };
  });

  app.patch<IdParams>(`${p}/roles/:id`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'update_role');
    const body = readEnvelope(request, 'role');
    const name = body.name === undefined ? undefined : requiredString(body, 'name', NAME);
    const role =
      name === undefined
        ? await roles.getRole(request.params.id)
        : await roles.renameRole(request.params.id, name);
    return { role: roleWire(role, mount) };
  });

  app.delete<IdParams>(`${p}/roles/:id`, KEYSTONE_ROUTE, async (request, reply) => {
    authorizeKeystone(request, 'delete_role');
    await roles.deleteRole(request.params.id);
    return reply.code(204).send();
  });
}
