// Project routes (reference §1.3): list/create/update/delete for admins, show for admins and the project's
// own members. Names are unique per domain (409); `is_domain` projects are not supported.
import type { FastifyInstance } from 'fastify';
import type { ProjectPatch } from '../../identity/identity-types.ts';
import type { ApiContext } from '../context.ts';
import { authorizeKeystone, KEYSTONE_ROUTE } from './keystone-access.ts';
import {
  directoryFilter,
  invalid,
  type JsonObject,
  optionalBoolean,
  optionalNullableString,
  optionalString,
  optionalStringList,
  readEnvelope,
  requiredString,
} from './keystone-input.ts';
import { listBody, type Mount, projectWire } from './keystone-wire.ts';

type IdParams = { Params: { id: string } };
const NAME = { max: 64 } as const;

export function registerProjectRoutes(app: FastifyInstance, context: ApiContext, mount: Mount): void {
  const { directory } = context.identity;
  const p = mount.prefix;

  app.get(`${p}/projects`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'list_projects');
    const projects = await directory.listProjects(directoryFilter(request));
    return listBody(
      'projects',
      projects.map((project) => projectWire(project, mount)),
      request,
      mount,
    );
  });

  app.post(`${p}/projects`, KEYSTONE_ROUTE, async (request, reply) => {
    authorizeKeystone(request, 'create_project');
    const body = readEnvelope(request, 'project');
    if (optionalBoolean(body, 'is_domain') === true)
      throw invalid('is_domain', 'projects acting as domains are not supported');
    const project = await directory.createProject({
      name: requiredString(body, 'name', NAME),
      description: optionalString(body, 'description', { max: 65535 }),
      domainId: optionalString(body, 'domain_id', { min: 1, max: 64 }),
      enabled: optionalBoolean(body, 'enabled'),
      parentId: optionalNullableString(body, 'parent_id'),
      tags: optionalStringList(body, 'tags'),
    });
    reply.code(201);
    return { project: projectWire(project, mount) };
  });

  app.get<IdParams>(`${p}/projects/:id`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'get_project', (ctx) => ctx.projectId === request.params.id);
    return { project: projectWire(await directory.getProject(request.params.id), mount) };
  });

  app.patch<IdParams>(`${p}/projects/:id`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'update_project');
    const current = await directory.getProject(request.params.id);
    const project = await directory.updateProject(
      current.id,
      projectPatch(readEnvelope(request, 'project'), current.domainId),
    );
    return { project: projectWire(project, mount) };
  });

  app.delete<IdParams>(`${p}/projects/:id`, KEYSTONE_ROUTE, async (request, reply) => {
    authorizeKeystone(request, 'delete_project');
    await directory.deleteProject(request.params.id);
    return reply.code(204).send();
  });
}

function projectPatch(body: JsonObject, domainId: string): ProjectPatch {
  const newDomain = optionalString(body, 'domain_id');
  if (newDomain !== undefined && newDomain !== domainId)
    throw invalid('domain_id', 'a project cannot change domain');
  const name = optionalString(body, 'name', { min: 1, ...NAME });
  const description = optionalString(body, 'description', { max: 65535 });
  const enabled = optionalBoolean(body, 'enabled');
  const tags = optionalStringList(body, 'tags');
  return {
    ...(name !== undefined && { name }),
    ...(description !== undefined && { description }),
    ...(enabled !== undefined && { enabled }),
    ...(tags !== undefined && { tags }),
  };
}
