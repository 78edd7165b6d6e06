// Writes a planned fully populated load balancer (graph-plan.ts) inside the create transaction, every
// object PENDING_CREATE, and renders the 201 body's full form (reference §3.3): listeners with full
// policies and rules, pools with full members and monitor, and no back-references to the load balancer.
import type { NetworkDriver } from '../../../config/config.ts';
import type { AuthContext } from '../../../identity/auth-context.ts';
import { newId } from '../../../store/codec.ts';
import type { Db } from '../../../store/database.ts';
import {
  insertHealthMonitor,
  listHealthMonitors,
} from '../../../store/repositories/health-monitor-repository.ts';
import {
  insertL7Policy,
  insertL7Rule,
  listL7Policies,
  listL7Rules,
} from '../../../store/repositories/l7-repository.ts';
import {
  insertListener,
  listListeners,
  setListenerCertificates,
} from '../../../store/repositories/listener-repository.ts';
import { insertMember, listMembers } from '../../../store/repositories/member-repository.ts';
import { insertPool, listPools } from '../../../store/repositories/pool-repository.ts';
import { listenerCertificateFacts } from '../../../tls/certificate-facts.ts';
import type { SecretReaders } from '../../../tls/secret-reader.ts';
import type { WireObject } from '../../wire/listing.ts';
import type { Parsed } from '../../wire/parse-body.ts';
import { healthMonitorToWire, newHealthMonitorFromBody } from '../health-monitors/wire.ts';
import { l7PolicyToWire } from '../l7policies/wire.ts';
import { l7RuleToWire } from '../l7rules/wire.ts';
import { listenerToWire } from '../listeners/wire.ts';
import { memberToWire, newMemberFromBody } from '../members/wire.ts';
import { checkMemberSubnet } from '../pools/checks.ts';
import { newPoolFromBody, poolToWire } from '../pools/wire.ts';
import type { GraphPlan, PlannedListener } from './graph-plan.ts';

type Owner = { loadBalancerId: string; projectId: string };

export async function insertGraph(
  db: Db,
  plan: GraphPlan,
  owner: Owner,
  networkDriver: NetworkDriver,
  auth: AuthContext,
): Promise<void> {
  for (const pool of plan.pools) {
    await insertPool(db, newPoolFromBody(pool.body, { id: pool.id, ...owner }));
    const monitor = pool.body.healthmonitor as Parsed | null | undefined;
    if (monitor) {
      await insertHealthMonitor(
        db,
        newHealthMonitorFromBody(monitor, { id: newId(), ...owner, poolId: pool.id }),
      );
    }
    for (const member of (pool.body.members as Parsed[] | null | undefined) ?? []) {
      await checkMemberSubnet(db, auth, member.subnet_id as string | null | undefined, networkDriver);
      await insertMember(
        db,
        newMemberFromBody(member, { id: newId(), ...owner, poolId: pool.id }, Boolean(monitor)),
      );
    }
  }
  for (const listener of plan.listeners) {
    await insertListener(db, { ...listener.spec, id: listener.id, ...owner });
    for (const policy of listener.policies) {
      await insertL7Policy(db, { ...policy.spec, id: policy.id, listenerId: listener.id, ...owner });
      for (const rule of policy.rules) {
        await insertL7Rule(db, { ...rule.spec, id: rule.id, l7PolicyId: policy.id, ...owner });
      }
    }
  }
}

/** Records the certificate facts of the graph's listeners that name server certificates. */
export async function recordGraphCertificates(
  db: Db,
  readers: SecretReaders | undefined,
  projectId: string,
  listeners: readonly PlannedListener[],
): Promise<void> {
  for (const { id, spec } of listeners) {
    if (!spec.defaultTlsContainerRef && spec.sniContainerRefs.length === 0) continue;
    const facts = await listenerCertificateFacts(readers, projectId, {
      defaultRef: spec.defaultTlsContainerRef,
      sniRefs: spec.sniContainerRefs,
    });
    await setListenerCertificates(db, id, facts);
  }
}

/** The `listeners` and `pools` of the create response, in full. */
export async function graphResponse(db: Db, loadBalancerId: string) {
  const scope = { loadBalancerId };
  const [listeners, pools, monitors, policies] = await Promise.all([
    listListeners(db, scope),
    listPools(db, scope),
    listHealthMonitors(db, scope),
    listL7Policies(db, scope),
  ]);
  const strip = (wire: WireObject, key: string) => {
    const { [key]: _, ...rest } = wire;
    return rest;
  };
  return {
    listeners: await Promise.all(
      listeners.map(async (listener) => ({
        ...strip(listenerToWire(listener), 'loadbalancers'),
        l7policies: await Promise.all(
          policies
            .filter((p) => p.listenerId === listener.id)
            .map(async (policy) => ({
              ...l7PolicyToWire(policy),
              rules: (await listL7Rules(db, policy.id)).map(l7RuleToWire),
            })),
        ),
      })),
    ),
    pools: await Promise.all(
      pools.map(async (pool) => {
        const monitor = monitors.find((m) => m.poolId === pool.id);
        return {
          ...strip(poolToWire(pool), 'loadbalancers'),
          members: (await listMembers(db, pool.id)).map(memberToWire),
          healthmonitor: monitor ? strip(healthMonitorToWire(monitor), 'pools') : null,
        };
      }),
    ),
  };
}
