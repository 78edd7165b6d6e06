// `/pools`: list, create (on a load balancer, or as a listener's default pool), show, update, delete
// (reference §5). Writes lock the load balancer and mark every listener using the pool PENDING_UPDATE in one
// transaction (§2.2), then wake the controller through the change feed.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { checkPoolTlsUpdate, checkSessionPersistence } from '../../../model/pool-validation.ts';
import { isPoolCompatible, poolProtocolMismatch } from '../../../model/protocols.ts';
import { newId } from '../../../store/codec.ts';
import type { Db } from '../../../store/database.ts';
import { findLoadBalancer } from '../../../store/repositories/load-balancer-repository.ts';
import { lockLoadBalancerForChild, setProvisioningStatus } from '../../../store/repositories/octavia-lock.ts';
import {
  findListenerRef,
  findPool,
  insertPool,
  type ListenerRef,
  listPools,
  lockForPool,
  pagePools,
  policyRedirectingTo,
  setListenerDefaultPool,
  updatePool,
} from '../../../store/repositories/pool-repository.ts';
import { enforceQuota } from '../../../store/repositories/quota-repository.ts';
import { checkTlsRefs } from '../../../tls/ref-checks.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { type ListRoute, registerListRoute } from '../list-route.ts';
import { runChange } from '../provider-support.ts';
import { octaviaRbac } from '../rbac.ts';
import { checkNewPool } from './checks.ts';
import { POOL_POST_ENVELOPE, POOL_PUT_ENVELOPE, refuseIf } from './schema.ts';
import {
  newPoolFromBody,
  POOL_ATTRIBUTES,
  POOL_COLUMNS,
  POOL_FILTERS,
  persistenceInput,
  poolChangesFromBody,
  poolToWire,
} from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
type Body = Record<string, unknown>;
const octavia = { config: { family: 'octavia' as const } };

export async function registerPoolRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  async function load(id: string) {
    const pool = await findPool(db, id);
    if (!pool) throw fail('octavia.not-found', { resource: 'Pool', id });
    return pool;
  }

  registerListRoute(app, rbac, poolList(db));

  app.post('/pools', octavia, async (request, reply) => {
    const body = readBody(request, 'pool_', POOL_POST_ENVELOPE).pool as Body;
    const lbId = body.loadbalancer_id as string | null | undefined;
    const listenerId = body.listener_id as string | null | undefined;
    let listener: ListenerRef | undefined;
    if (listenerId) {
      listener = await findListenerRef(db, listenerId);
      if (!listener) throw fail('octavia.not-found', { resource: 'Listener', id: listenerId });
    }
    if (!lbId && !listener) {
      throw fail('octavia.validation', {
        detail: 'Must provide at least one of: loadbalancer_id, listener_id',
      });
    }
    const lbOf = (lbId || listener?.loadBalancerId) as string;
    const lb = await findLoadBalancer(db, lbOf);
    if (!lb) throw fail('octavia.not-found', { resource: 'Load Balancer', id: lbOf });
    enforce(caller(request), 'pool', 'post', lb.projectId);
    const protocol = body.protocol as string;
    if (listener && !isPoolCompatible(listener.protocol, protocol)) {
      throw fail('octavia.validation', { detail: poolProtocolMismatch(protocol, listener.protocol) });
    }
    // A pool and the listener it serves must share a load balancer (Sluice keeps that invariant).
    if (listener && listener.loadBalancerId !== lb.id) {
      throw fail('octavia.validation', {
        detail: `Listener ${listener.id} is not on load balancer ${lb.id}.`,
      });
    }
    checkNewPool(body, context.config.tlsPolicy);
    // pool.py _validate_create_pool: the client certificate, then the member CA with its CRL.
    await checkTlsRefs(context.secrets, lb.projectId, {
      certificates: typeof body.tls_container_ref === 'string' ? [body.tls_container_ref] : [],
      ca: typeof body.ca_tls_container_ref === 'string' ? body.ca_tls_container_ref : null,
      crl: typeof body.crl_container_ref === 'string' ? body.crl_container_ref : null,
    });
    const id = newId();
    await runChange(context, async (trx) => {
      await lockLoadBalancerForChild(trx, lb.id, [{ table: 'pools', id }]);
      if (listener) {
        const current = await findListenerRef(trx, listener.id);
        if (current?.defaultPoolId) throw fail('octavia.duplicate-pool');
        await setProvisioningStatus(trx, 'listeners', [listener.id], 'PENDING_UPDATE');
      }
      await enforceQuota(trx, lb.projectId, { pool: 1 });
      await insertPool(trx, newPoolFromBody(body, { id, projectId: lb.projectId, loadBalancerId: lb.id }));
      if (listener) await setListenerDefaultPool(trx, listener.id, id);
    });
    context.changes.notify(lb.id);
    return reply.code(201).send({ pool: poolToWire(await load(id)) });
  });

  app.get<IdParams>('/pools/:id', octavia, async (request) => {
    const pool = await load(request.params.id);
    enforce(caller(request), 'pool', 'get_one', pool.projectId);
    return { pool: project(poolToWire(pool), request.query) };
  });

  app.put<IdParams>('/pools/:id', octavia, async (request) => {
    const body = readBody(request, 'pool_', POOL_PUT_ENVELOPE).pool as Body;
    const pool = await load(request.params.id);
    enforce(caller(request), 'pool', 'put', pool.projectId);
    // null or {} removes session persistence; an omitted type keeps the stored one (reference §5.1).
    let sp: ReturnType<typeof persistenceInput>;
    if ('session_persistence' in body) {
      const given = body.session_persistence as Body | null;
      sp = given === null || Object.keys(given).length === 0 ? null : persistenceInput(given);
      if (sp && !sp.type && pool.sessionPersistence) sp = { ...sp, type: pool.sessionPersistence.type };
      refuseIf(checkSessionPersistence(pool.protocol, sp));
    }
    refuseIf(
      checkPoolTlsUpdate(
        pool,
        {
          caTlsContainerRef: body.ca_tls_container_ref as string | null | undefined,
          crlContainerRef: body.crl_container_ref as string | null | undefined,
          tlsVersions: body.tls_versions as string[] | null | undefined,
          alpnProtocols: body.alpn_protocols as string[] | null | undefined,
          tlsCiphers: body.tls_ciphers as string | null | undefined,
        },
        context.config.tlsPolicy,
      ),
    );
    const given = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : null);
    const caOrCrlGiven = Boolean(given('ca_tls_container_ref') || given('crl_container_ref'));
    await checkTlsRefs(context.secrets, pool.projectId, {
      certificates: given('tls_container_ref') ? [given('tls_container_ref') as string] : [],
      ca: caOrCrlGiven ? (given('ca_tls_container_ref') ?? pool.caTlsContainerRef) : null,
      crl: 'crl_container_ref' in body ? given('crl_container_ref') : pool.crlContainerRef,
    });
    await runChange(context, async (trx) => {
      await lockForPool(trx, pool.loadBalancerId, pool.id, [{ table: 'pools', id: pool.id }]);
      await setProvisioningStatus(trx, 'pools', [pool.id], 'PENDING_UPDATE');
      await updatePool(trx, pool.id, poolChangesFromBody(body, sp));
    });
    context.changes.notify(pool.loadBalancerId);
    return { pool: poolToWire(await load(pool.id)) };
  });

  app.delete<IdParams>('/pools/:id', octavia, async (request, reply) => {
    const pool = await load(request.params.id);
    enforce(caller(request), 'pool', 'delete', pool.projectId);
    const policyId = await policyRedirectingTo(db, pool.id);
    if (policyId) throw fail('octavia.pool-in-use', { id: pool.id, l7policy: policyId });
    await runChange(context, async (trx) => {
      await lockForPool(trx, pool.loadBalancerId, pool.id, [{ table: 'pools', id: pool.id }]);
      // Checked again under the lock: a policy created since the first check would redirect to nothing.
      const redirecting = await policyRedirectingTo(trx, pool.id);
      if (redirecting) throw fail('octavia.pool-in-use', { id: pool.id, l7policy: redirecting });
      // The pool's members and monitor go with it (reference §5, §2.4).
      const current = (await findPool(trx, pool.id)) ?? pool;
      await setProvisioningStatus(trx, 'pools', [pool.id], 'PENDING_DELETE');
      await setProvisioningStatus(trx, 'members', current.memberIds, 'PENDING_DELETE');
      if (current.healthMonitorId) {
        await setProvisioningStatus(trx, 'health_monitors', [current.healthMonitorId], 'PENDING_DELETE');
      }
    });
    context.changes.notify(pool.loadBalancerId);
    return reply.code(204).send();
  });
}

/** The pools' list: in SQL when the request allows, else read whole and listed in memory. */
export function poolList(db: Db): ListRoute {
  return {
    path: '/pools',
    collection: 'pools',
    object: 'pool',
    scope: 'project',
    rows: async (projectId) => (await listPools(db, { projectId })).map(poolToWire),
    sql: {
      columns: POOL_COLUMNS,
      page: async (projectId, spec) => (await pagePools(db, projectId, spec))?.map(poolToWire),
    },
    attributes: POOL_ATTRIBUTES,
    filters: POOL_FILTERS,
  };
}
