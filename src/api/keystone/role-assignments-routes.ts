// GET /v3/role_assignments (reference §1.3) with the filters `user.id`, `role.id`, `project.id` (also
// Keystone's `scope.project.id`), `scope.system`, and `include_names`. Admins, or a user asking about itself.
import type { FastifyInstance } from 'fastify';
import type { AssignmentView } from '../../identity/identity-types.ts';
import type { ApiContext } from '../context.ts';
import { authorizeKeystone, KEYSTONE_ROUTE } from './keystone-access.ts';
import { queryValue } from './keystone-input.ts';
import { listBody, type Mount, mountUrl } from './keystone-wire.ts';

export function registerRoleAssignmentRoutes(app: FastifyInstance, context: ApiContext, mount: Mount): void {
  const { roles } = context.identity;

  app.get(`${mount.prefix}/role_assignments`, KEYSTONE_ROUTE, async (request) => {
    const userId = queryValue(request, 'user.id');
    authorizeKeystone(
      request,
      'list_role_assignments',
      (ctx) => userId !== undefined && ctx.userId === userId,
    );
    const system = queryValue(request, 'scope.system');
    const names = queryValue(request, 'include_names');
    const assignments = await roles.listAssignments({
      userId,
      roleId: queryValue(request, 'role.id'),
      projectId: queryValue(request, 'project.id') ?? queryValue(request, 'scope.project.id'),
      system: system === undefined ? undefined : system !== 'false',
    });
    const withNames = names !== undefined && !['false', '0'].includes(names.toLowerCase());
    return listBody(
      'role_assignments',
      assignments.map((assignment) => assignmentWire(assignment, withNames, mount)),
      request,
      mount,
    );
  });
}

function assignmentWire(
  assignment: AssignmentView,
  withNames: boolean,
  mount: Mount,
): Record<string, unknown> {
  const { role, user, project } = assignment;
  const named = <T extends { id: string }>(value: T) => (withNames ? value : { id: value.id });
  const target = project ? `projects/${project.id}` : 'system';
  return {
    role: named(role),
    user: named(user),
    scope: project ? { project: named(project) } : { system: { all: true } },
    links: { assignment: mountUrl(mount, `${target}/users/${user.id}/roles/${role.id}`) },
  };
}
