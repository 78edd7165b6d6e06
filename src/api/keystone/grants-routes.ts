// Grant routes (reference §1.3): a role for a user on a project or on the system. PUT grants, DELETE
// revokes, GET/HEAD check (204 or 404), and the list of a user's roles there; all for admins.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GrantTarget } from '../../identity/identity-types.ts';
import type { ApiContext } from '../context.ts';
import { authorizeKeystone, KEYSTONE_ROUTE } from './keystone-access.ts';
import { listBody, type Mount, roleWire } from './keystone-wire.ts';

type GrantParams = { Params: { project?: string; user: string; role?: string } };

/** The two families of grant URLs and the Keystone policy names of their operations. */
const FAMILIES = [
  {
    path: 'projects/:project/users/:user/roles',
    target: (params: GrantParams['Params']): GrantTarget => ({
      kind: 'project',
      projectId: params.project ?? '',
    }),
    actions: { put: 'create_grant', delete: 'revoke_grant', check: 'check_grant', list: 'list_grants' },
  },
  {
    path: 'system/users/:user/roles',
    target: (): GrantTarget => ({ kind: 'system' }),
    actions: {
      put: 'create_system_grant_for_user',
      delete: 'revoke_system_grant_for_user',
      check: 'check_system_grant_for_user',
      list: 'list_system_grants_for_user',
    },
  },
] as const;

export function registerGrantRoutes(app: FastifyInstance, context: ApiContext, mount: Mount): void {
  const { roles } = context.identity;
  const noContent = (reply: FastifyReply) => reply.code(204).send();

  for (const family of FAMILIES) {
    const base = `${mount.prefix}/${family.path}`;

    app.get<GrantParams>(base, KEYSTONE_ROUTE, async (request) => {
      authorizeKeystone(request, family.actions.list);
      const list = await roles.rolesOf(request.params.user, family.target(request.params));
      return listBody(
        'roles',
        list.map((role) => roleWire(role, mount)),
        request,
        mount,
      );
    });

    app.put<GrantParams>(`${base}/:role`, KEYSTONE_ROUTE, async (request, reply) => {
      authorizeKeystone(request, family.actions.put);
      await roles.grant(request.params.user, family.target(request.params), request.params.role ?? '');
      return noContent(reply);
    });

    // Fastify answers HEAD from this GET, without the (empty) body.
    app.get<GrantParams>(`${base}/:role`, KEYSTONE_ROUTE, async (request, reply) => {
      authorizeKeystone(request, family.actions.check);
      await roles.check(request.params.user, family.target(request.params), request.params.role ?? '');
      return noContent(reply);
    });

    app.delete<GrantParams>(`${base}/:role`, KEYSTONE_ROUTE, async (request, reply) => {
      authorizeKeystone(request, family.actions.delete);
      await roles.revoke(request.params.user, family.target(request.params), request.params.role ?? '');
      return noContent(reply);
    });
  }
}
