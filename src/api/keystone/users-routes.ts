// User routes (reference §1.3): list/create/update/delete for admins, show and project list for admins and
// the user itself, and the self-service password change. Passwords are write-only.
import type { FastifyInstance } from 'fastify';
import type { UserPatch } from '../../identity/identity-types.ts';
import type { ApiContext } from '../context.ts';
import { authorizeKeystone, KEYSTONE_ROUTE } from './keystone-access.ts';
import {
  directoryFilter,
  invalid,
  type JsonObject,
  optionalBoolean,
  optionalNullableString,
  optionalString,
  readEnvelope,
  requiredString,
} from './keystone-input.ts';
import { listBody, type Mount, projectWire, userWire } from './keystone-wire.ts';

type IdParams = { Params: { id: string } };
const NAME = { max: 255 } as const;
const PASSWORD = { max: 4096 } as const;

export function registerUserRoutes(app: FastifyInstance, context: ApiContext, mount: Mount): void {
  const { directory } = context.identity;
  const p = mount.prefix;

  app.get(`${p}/users`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'list_users');
    const users = await directory.listUsers(directoryFilter(request));
    return listBody(
      'users',
      users.map((user) => userWire(user, mount)),
      request,
      mount,
    );
  });

  app.post(`${p}/users`, KEYSTONE_ROUTE, async (request, reply) => {
    authorizeKeystone(request, 'create_user');
    const body = readEnvelope(request, 'user');
    const user = await directory.createUser({
      name: requiredString(body, 'name', NAME),
      domainId: optionalString(body, 'domain_id', { min: 1, max: 64 }),
      enabled: optionalBoolean(body, 'enabled'),
      defaultProjectId: optionalNullableString(body, 'default_project_id'),
      password: body.password === null ? null : optionalString(body, 'password', PASSWORD),
    });
    reply.code(201);
    return { user: userWire(user, mount) };
  });

  app.get<IdParams>(`${p}/users/:id`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'get_user', (ctx) => ctx.userId === request.params.id);
    return { user: userWire(await directory.getUser(request.params.id), mount) };
  });

  app.patch<IdParams>(`${p}/users/:id`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'update_user');
    const current = await directory.getUser(request.params.id);
    const user = await directory.updateUser(
      current.id,
      userPatch(readEnvelope(request, 'user'), current.domainId),
    );
    return { user: userWire(user, mount) };
  });

  app.delete<IdParams>(`${p}/users/:id`, KEYSTONE_ROUTE, async (request, reply) => {
    authorizeKeystone(request, 'delete_user');
    await directory.deleteUser(request.params.id);
    return reply.code(204).send();
  });

  app.get<IdParams>(`${p}/users/:id/projects`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'list_user_projects', (ctx) => ctx.userId === request.params.id);
    const user = await directory.getUser(request.params.id);
    const projects = await directory.listProjects({ ...directoryFilter(request), userId: user.id });
    return listBody(
      'projects',
      projects.map((project) => projectWire(project, mount)),
      request,
      mount,
    );
  });

  app.post<IdParams>(`${p}/users/:id/password`, KEYSTONE_ROUTE, async (request, reply) => {
    authorizeKeystone(request, 'change_password', (ctx) => ctx.userId === request.params.id);
    const body = readEnvelope(request, 'user');
    const original = requiredString(body, 'original_password', PASSWORD);
    await directory.changePassword(request.params.id, original, requiredString(body, 'password', PASSWORD));
    return reply.code(204).send();
  });
}

function userPatch(body: JsonObject, domainId: string): UserPatch {
  const newDomain = optionalString(body, 'domain_id');
  if (newDomain !== undefined && newDomain !== domainId)
    throw invalid('domain_id', 'a user cannot change domain');
  const name = optionalString(body, 'name', { min: 1, ...NAME });
  const enabled = optionalBoolean(body, 'enabled');
  const defaultProjectId = optionalNullableString(body, 'default_project_id');
  const password = body.password === null ? null : optionalString(body, 'password', PASSWORD);
  return {
    ...(name !== undefined && { name }),
    ...(enabled !== undefined && { enabled }),
    ...(defaultProjectId !== undefined && { defaultProjectId }),
    ...(password !== undefined && { password }),
  };
}
