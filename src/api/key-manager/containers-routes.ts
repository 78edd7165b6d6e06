// /v1/containers (barbican/api/controllers/{containers,consumers}.py): create from secrets of the caller's
// project, list with ?type= and ?name= and paging, get, delete, and register or remove consumers.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { SecretContainer } from '../../model/secret.ts';
import { getAcls } from '../../store/repositories/secret-acl-repository.ts';
import {
  addConsumer,
  createContainer,
  deleteContainer,
  getContainer,
  listContainers,
  removeConsumer,
} from '../../store/repositories/secret-container-repository.ts';
import { getSecret } from '../../store/repositories/secret-repository.ts';
import { caller } from '../plugins/auth.ts';
import { validateConsumer, validateNewContainer } from './container-validation.ts';
import type { KeyManagerContext } from './key-manager-context.ts';
import { enforceContentType, isUuid, loadBody, paging, pathId } from './key-manager-http.ts';
import { authorizeEntity, type EntityRule, RULES, requireMember } from './key-manager-policy.ts';
import { containerHref, containerView, listPage } from './key-manager-wire.ts';

const ROUTE = { config: { family: 'key-manager' as const } };

/** ContainersController._lookup, then the action's policy. */
export async function findContainer(
  context: KeyManagerContext,
  request: FastifyRequest,
  rule: EntityRule,
  operation: string,
): Promise<SecretContainer> {
  const id = pathId(request);
  if (!isUuid(id)) throw new SluiceError('key-manager.invalid-container-id');
  const container = await getContainer(context.db, id);
  if (!container) throw new SluiceError('key-manager.container-not-found');
  authorizeEntity(caller(request), container, await getAcls(context.db, 'container', id), rule, operation);
  return container;
}

export function registerContainerRoutes(
  scope: FastifyInstance,
  context: KeyManagerContext,
  api: string,
): void {
  scope.post(`${api}/containers`, ROUTE, async (request, reply) => {
    const auth = caller(request);
    const projectId = requireMember(auth, 'Container creation');
    enforceContentType(request, ['application/json']);
    const container = validateNewContainer(loadBody(request), context.hrefs.base);
    // Each secret must exist in the caller's project (secret_repo.get with external_project_id).
    for (const ref of container.secretRefs) {
      const secret = isUuid(ref.secretId) ? await getSecret(context.db, ref.secretId) : undefined;
      if (secret?.projectId !== projectId)
        throw new SluiceError('key-manager.container-secret-missing', { name: ref.name ?? 'None' });
    }
    const created = await createContainer(context.db, { ...container, projectId, creatorId: auth.userId });
    const href = containerHref(context.hrefs, created.id);
    return reply.code(201).header('Location', href).send({ container_ref: href });
  });

  scope.get(`${api}/containers`, ROUTE, async (request) => {
    const projectId = requireMember(caller(request), 'Containers(s) retrieval');
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    const { containers, total } = await listContainers(
      context.db,
      projectId,
      { name: query.name || undefined, type: query.type || undefined },
      page,
    );
    return listPage(
      context.hrefs,
      'containers',
      'containers',
      containers.map((container) => containerView(context.hrefs, container)),
      // containers.py builds its page links without the other query parameters.
      { ...page, total, query: '' },
    );
  });

  scope.get(`${api}/containers/:id`, ROUTE, async (request) =>
    containerView(
      context.hrefs,
      await findContainer(context, request, RULES.containerRead, 'Container retrieval'),
    ),
  );

  scope.delete(`${api}/containers/:id`, ROUTE, async (request, reply) => {
    const container = await findContainer(context, request, RULES.ownerOnly, 'Container deletion');
    await deleteContainer(context.db, container.id);
    return reply.code(204).send();
  });

  // POST answers 200 with the container, as ContainerConsumersController.on_post returns its data.
  scope.post(`${api}/containers/:id/consumers`, ROUTE, async (request, reply) => {
    const operation = 'ContainerConsumer creation';
    const container = await findContainer(context, request, RULES.containerRead, operation);
    enforceContentType(request, ['application/json']);
    const consumer = validateConsumer(loadBody(request));
    await addConsumer(context.db, container.id, { ...consumer, projectId: caller(request).projectId ?? '' });
    const href = `${containerHref(context.hrefs, container.id)}/consumers`;
    const updated = (await getContainer(context.db, container.id)) as SecretContainer;
    return reply.header('Location', href).send(containerView(context.hrefs, updated));
  });

  scope.delete(`${api}/containers/:id/consumers`, ROUTE, async (request) => {
    const operation = 'ContainerConsumer deletion';
    const container = await findContainer(context, request, RULES.containerRead, operation);
    enforceContentType(request, ['application/json']);
    const consumer = validateConsumer(loadBody(request));
    if (!(await removeConsumer(context.db, container.id, consumer.name, consumer.url)))
      throw new SluiceError('key-manager.consumer-not-found');
    return containerView(context.hrefs, (await getContainer(context.db, container.id)) as SecretContainer);
  });
}
