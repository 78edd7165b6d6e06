// `/quotas`: list the projects with stored quotas, show a project's effective or default quota, set some
// limits (202 with the effective quota) and reset them (202) — reference §10.1, RBAC §9.2 (read-quota,
// write-quota). Quotas never 404: a project without a row simply has the defaults.
import type { FastifyInstance } from 'fastify';
import { DEFAULT_QUOTAS } from '../../../model/quotas.ts';
import {
  deleteQuota,
  effectiveQuota,
  listStoredQuotas,
  setQuota,
} from '../../../store/repositories/quota-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import type { Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { registerListRoute } from '../list-route.ts';
import { octaviaRbac } from '../rbac.ts';
import { QUOTA_PUT_ENVELOPE } from './schema.ts';
import {
  QUOTA_ATTRIBUTES,
  QUOTA_FILTERS,
  quotaChangesFromWire,
  quotaListEntryToWire,
  quotaToWire,
} from './wire.ts';

type ProjectParams = { Params: { projectId: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };

export async function registerQuotaRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  registerListRoute(app, rbac, {
    path: '/quotas',
    collection: 'quotas',
    object: 'quota',
    scope: 'project',
    rows: async (projectId) =>
      (await listStoredQuotas(db))
        .filter((q) => projectId === undefined || q.projectId === projectId)
        .map(({ projectId: id, ...limits }) => quotaListEntryToWire(id, limits)),
    attributes: QUOTA_ATTRIBUTES,
    filters: QUOTA_FILTERS,
  });

  app.get<ProjectParams>('/quotas/:projectId', octavia, async (request) => {
    const { projectId } = request.params;
    enforce(caller(request), 'quota', 'get_one', projectId);
    return { quota: quotaToWire(await effectiveQuota(db, projectId)) };
  });

  app.get<ProjectParams>('/quotas/:projectId/default', octavia, async (request) => {
    const { projectId } = request.params;
    enforce(caller(request), 'quota', 'get_defaults', projectId);
    return { quota: quotaToWire(DEFAULT_QUOTAS) };
  });

  app.put<ProjectParams>('/quotas/:projectId', octavia, async (request, reply) => {
    const body = readBody(request, 'quotas', QUOTA_PUT_ENVELOPE).quota as Record<string, unknown>;
    const { projectId } = request.params;
    enforce(caller(request), 'quota', 'put', projectId);
    const changes = quotaChangesFromWire(body);
    if (Object.keys(changes).length > 0) await setQuota(db, projectId, changes);
    return reply.code(202).send({ quota: quotaToWire(await effectiveQuota(db, projectId)) });
  });

  app.delete<ProjectParams>('/quotas/:projectId', octavia, async (request, reply) => {
    const { projectId } = request.params;
    enforce(caller(request), 'quota', 'delete', projectId);
    await deleteQuota(db, projectId);
    return reply.code(202).send();
  });
}
