// `/listeners`: list, create, show, update, delete and stats (reference §4). Every write runs in one
// transaction in Octavia's order of checks — body, lookup (404), RBAC (403), validation (400), the load
// balancer lock (409), port clash (409), quota (403) — and wakes the controller once committed (§2.2).
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { newId } from '../../../store/codec.ts';
import type { Db } from '../../../store/database.ts';
import {
  findListener,
  findPoolOf,
  insertListener,
  listListeners,
  markListenerDeleting,
  pageListeners,
  portInUse,
  setListenerCertificates,
  updateListener,
} from '../../../store/repositories/listener-repository.ts';
import { findLoadBalancer } from '../../../store/repositories/load-balancer-repository.ts';
import { lockLoadBalancerForChild } from '../../../store/repositories/octavia-lock.ts';
import { enforceQuota } from '../../../store/repositories/quota-repository.ts';
import { sumStatistics } from '../../../store/repositories/statistics-repository.ts';
import { listenerCertificateFacts } from '../../../tls/certificate-facts.ts';
import { checkTlsRefs } from '../../../tls/ref-checks.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { type ListRoute, registerListRoute } from '../list-route.ts';
import { runChange } from '../provider-support.ts';
import { octaviaRbac } from '../rbac.ts';
import {
  checkListenerPool,
  LISTENER_POST_ENVELOPE,
  LISTENER_PUT_ENVELOPE,
  validateListenerCreate,
  validateListenerUpdate,
  vipAddresses,
} from './schema.ts';
import { LISTENER_ATTRIBUTES, LISTENER_COLUMNS, LISTENER_FILTERS, listenerToWire } from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };
/** Graph fields are only honoured by a fully populated load balancer create (reference §3.3). */
export const INLINE_CHILDREN_ONLY_IN_GRAPH =
  'Inline child objects are only accepted when creating a fully populated load balancer.';

export async function registerListenerRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  async function load(id: string) {
    const listener = await findListener(db, id);
    if (!listener) throw fail('octavia.not-found', { resource: 'Listener', id });
    return listener;
  }
  async function loadBalancerOf(id: string) {
    const lb = await findLoadBalancer(db, id);
    if (!lb) throw fail('octavia.not-found', { resource: 'Load Balancer', id });
    return lb;
  }

  registerListRoute(app, rbac, listenerList(db));

  app.post('/listeners', octavia, async (request, reply) => {
    const body = readBody(request, 'listener_', LISTENER_POST_ENVELOPE).listener as Record<string, unknown>;
    const lb = await loadBalancerOf(body.loadbalancer_id as string);
    enforce(caller(request), 'listener', 'post', lb.projectId);
    if (body.default_pool || (Array.isArray(body.l7policies) && body.l7policies.length > 0)) {
      throw fail('octavia.validation', { detail: INLINE_CHILDREN_ONLY_IN_GRAPH });
    }
    const protocol = body.protocol as string;
    const poolId = body.default_pool_id as string | null | undefined;
    if (poolId) checkListenerPool(protocol, poolId, await findPoolOf(db, lb.id, poolId));
    const spec = validateListenerCreate(body, vipAddresses(lb), lb.vip.sgIds ?? [], context.config.tlsPolicy);
    // _validate_create_listener reads the SNI refs, then the default one, then the client CA and its CRL.
    await checkTlsRefs(context.secrets, lb.projectId, {
      certificates: [
        ...spec.sniContainerRefs,
        ...(spec.defaultTlsContainerRef ? [spec.defaultTlsContainerRef] : []),
      ],
      ca: spec.clientCaTlsContainerRef,
      crl: spec.clientCrlContainerRef,
    });
    const tlsCertificates = await listenerCertificateFacts(context.secrets, lb.projectId, {
      defaultRef: spec.defaultTlsContainerRef,
      sniRefs: spec.sniContainerRefs,
    });
    const id = newId();
    await runChange(context, async (trx) => {
      await lockLoadBalancerForChild(trx, lb.id, [{ table: 'listeners', id }]);
      const clash = await portInUse(trx, lb.id, protocol, spec.protocolPort);
      if (clash) throw fail('octavia.duplicate-listener', { protocol: clash, port: spec.protocolPort });
      await enforceQuota(trx, lb.projectId, { listener: 1 });
      await insertListener(trx, {
        ...spec,
        id,
        projectId: lb.projectId,
        loadBalancerId: lb.id,
        tlsCertificates,
      });
    });
    context.changes.notify(lb.id);
    return reply.code(201).send({ listener: listenerToWire(await load(id)) });
  });

  app.get<IdParams>('/listeners/:id', octavia, async (request) => {
    const listener = await load(request.params.id);
    enforce(caller(request), 'listener', 'get_one', listener.projectId);
    return { listener: project(listenerToWire(listener), request.query) };
  });

  app.put<IdParams>('/listeners/:id', octavia, async (request) => {
    const body = readBody(request, 'listener_', LISTENER_PUT_ENVELOPE).listener as Record<string, unknown>;
    const listener = await load(request.params.id);
    enforce(caller(request), 'listener', 'put', listener.projectId);
    const lb = await loadBalancerOf(listener.loadBalancerId);
    const changes = validateListenerUpdate(
      body,
      listener,
      vipAddresses(lb),
      lb.vip.sgIds ?? [],
      context.config.tlsPolicy,
    );
    // _validate_listener_PUT reads the refs the body gives; a new CA or CRL is checked with its partner.
    const caOrCrlGiven = Boolean(changes.clientCaTlsContainerRef || changes.clientCrlContainerRef);
    await checkTlsRefs(context.secrets, listener.projectId, {
      certificates: [
        ...(changes.defaultTlsContainerRef ? [changes.defaultTlsContainerRef] : []),
        ...(changes.sniContainerRefs ?? []),
      ],
      ca: caOrCrlGiven ? (changes.clientCaTlsContainerRef ?? listener.clientCaTlsContainerRef) : null,
      crl:
        changes.clientCrlContainerRef !== undefined
          ? changes.clientCrlContainerRef
          : listener.clientCrlContainerRef,
    });
    if (changes.defaultPoolId) {
      const pool = await findPoolOf(db, lb.id, changes.defaultPoolId);
      checkListenerPool(listener.protocol, changes.defaultPoolId, pool);
    }
    // New server certificate refs are recorded with their facts (also when none were recorded before).
    const refsChanged =
      changes.defaultTlsContainerRef !== undefined ||
      changes.sniContainerRefs !== undefined ||
      listener.tlsCertificates === null;
    const tlsCertificates = refsChanged
      ? await listenerCertificateFacts(context.secrets, listener.projectId, {
          defaultRef:
            changes.defaultTlsContainerRef !== undefined
              ? changes.defaultTlsContainerRef
              : listener.defaultTlsContainerRef,
          sniRefs: changes.sniContainerRefs ?? listener.sniContainerRefs,
        })
      : undefined;
    // The listener's own status is not checked: an ERROR listener can be fixed (reference §2.2).
    await runChange(context, async (trx) => {
      await lockLoadBalancerForChild(trx, lb.id, [{ table: 'listeners', id: listener.id }]);
      await updateListener(trx, listener.id, changes);
      if (tlsCertificates !== undefined) await setListenerCertificates(trx, listener.id, tlsCertificates);
    });
    context.changes.notify(lb.id);
    return { listener: listenerToWire(await load(listener.id)) };
  });

  app.delete<IdParams>('/listeners/:id', octavia, async (request, reply) => {
    const listener = await load(request.params.id);
    enforce(caller(request), 'listener', 'delete', listener.projectId);
    await runChange(context, async (trx) => {
      await lockLoadBalancerForChild(trx, listener.loadBalancerId, [{ table: 'listeners', id: listener.id }]);
      await markListenerDeleting(trx, listener.id);
    });
    context.changes.notify(listener.loadBalancerId);
    return reply.code(204).send();
  });

  app.get<IdParams>('/listeners/:id/stats', octavia, async (request) => {
    const listener = await load(request.params.id);
    enforce(caller(request), 'listener', 'get_stats', listener.projectId);
    return { stats: await sumStatistics(db, { listenerId: listener.id }) };
  });
}

/** The listeners' list: in SQL when the request allows, else read whole and listed in memory. */
export function listenerList(db: Db): ListRoute {
  return {
    path: '/listeners',
    collection: 'listeners',
    object: 'listener',
    scope: 'project',
    rows: async (projectId) => (await listListeners(db, { projectId })).map(listenerToWire),
    sql: {
      columns: LISTENER_COLUMNS,
      page: async (projectId, spec) => (await pageListeners(db, projectId, spec))?.map(listenerToWire),
    },
    attributes: LISTENER_ATTRIBUTES,
    filters: LISTENER_FILTERS,
  };
}
