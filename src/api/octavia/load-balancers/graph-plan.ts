// Plans a fully populated load balancer create (reference §3.3): every pool named and unique, nested pool
// definitions hoisted, references resolved by name, each object validated by its own resource's rules,
// and ids assigned, before anything is written. Order of the result: pools (monitor, members), listeners,
// then policies and rules, which is the insert order.
import { fail } from '../../../errors.ts';
import { checkHealthMonitorCreate } from '../../../model/health-monitor.ts';
import type { ListenerSpec } from '../../../model/listener.ts';
import { portSpace } from '../../../model/protocols.ts';
import type { QuotaResource } from '../../../model/quotas.ts';
import { OPEN_TLS_POLICY, type TlsPolicy } from '../../../model/tls-policy.ts';
import { newId } from '../../../store/codec.ts';
import { type Parsed, parseBody } from '../../wire/parse-body.ts';
import { checkHealthMonitorBody } from '../health-monitors/schema.ts';
import { healthMonitorInput } from '../health-monitors/wire.ts';
import { type L7PolicySpec, requireChildrenAllowed, validateL7PolicyCreate } from '../l7policies/schema.ts';
import { type L7RuleSpec, validateL7RuleCreate } from '../l7rules/schema.ts';
import { checkListenerPool, validateListenerCreate } from '../listeners/schema.ts';
import { checkMemberAddress, checkMemberRequired, checkMemberSriov, checkNewPool } from '../pools/checks.ts';
import { POOL_SINGLE_CREATE, refuseIf } from '../pools/schema.ts';

export type PlannedPool = { id: string; body: Parsed };
export type PlannedPolicy = { id: string; spec: L7PolicySpec; rules: { id: string; spec: L7RuleSpec }[] };
export type PlannedListener = { id: string; spec: ListenerSpec; policies: PlannedPolicy[] };
export type GraphPlan = {
  pools: PlannedPool[];
  listeners: PlannedListener[];
  counts: Partial<Record<QuotaResource, number>>;
};

/** Keys a nested pool may carry and still be a reference by name (the rest make it a definition). */
const REFERENCE_KEYS = ['name', 'admin_state_up', 'tls_enabled'];
const MAX_RULES_PER_POLICY = 50;
const invalid = (detail: string) => fail('octavia.validation', { detail });

export function planGraph(
  listeners: readonly Parsed[],
  pools: readonly Parsed[],
  vipAddresses: readonly string[],
  vipSgIds: readonly string[] = [],
  tlsPolicy: TlsPolicy = OPEN_TLS_POLICY,
): GraphPlan {
  const definitions = new Map<string, PlannedPool>();
  const define = (body: Parsed) => {
    const name = body.name as string | null | undefined;
    if (!name) throw invalid('Pools must be named when creating a fully populated loadbalancer.');
    if (definitions.has(name))
      throw invalid(`Duplicate pool name ${name} in the fully populated loadbalancer.`);
    for (const attribute of ['protocol', 'lb_algorithm']) {
      if (body[attribute] === undefined || body[attribute] === null) {
        throw invalid(`Pool ${name} is missing required attribute: ${attribute}`);
      }
    }
    definitions.set(name, { id: newId(), body });
  };
  /** A nested pool: a definition (hoisted) or a reference; returns its name. */
  const nested = (raw: unknown): string => {
    const body = parseBody('load_balancer', POOL_SINGLE_CREATE, raw, { create: true });
    const name = body.name as string | null | undefined;
    if (!name) throw invalid('Pools must be named when creating a fully populated loadbalancer.');
    if (Object.keys(body).some((key) => !REFERENCE_KEYS.includes(key))) define(body);
    return name;
  };

  for (const pool of pools) define(pool);
  const references: { listener: Parsed; defaultPool?: string; redirects: (string | undefined)[] }[] =
    listeners.map((listener) => ({
      listener,
      defaultPool: listener.default_pool ? nested(listener.default_pool) : undefined,
      redirects: ((listener.l7policies as Parsed[] | null | undefined) ?? []).map((p) =>
        p.redirect_pool ? nested(p.redirect_pool) : undefined,
      ),
    }));
  const resolve = (name: string): PlannedPool => {
    const pool = definitions.get(name);
    if (!pool) throw invalid(`Pool '${name}' was referenced but no full definition was found.`);
    return pool;
  };

  for (const { body } of definitions.values()) checkPool(body, tlsPolicy);

  const ports = new Set<string>();
  const planned: PlannedListener[] = references.map(({ listener, defaultPool, redirects }) => {
    const protocol = listener.protocol as string;
    const policies = (listener.l7policies as Parsed[] | null | undefined) ?? [];
    if (defaultPool !== undefined || policies.length > 0) requireChildrenAllowed(protocol);
    const key = `${portSpace(protocol)}:${listener.protocol_port}`;
    if (ports.has(key)) {
      throw fail('octavia.duplicate-listener', { protocol, port: listener.protocol_port as number });
    }
    ports.add(key);
    const pool = defaultPool === undefined ? undefined : resolve(defaultPool);
    if (pool) checkListenerPool(protocol, pool.id, { protocol: pool.body.protocol as string });
    const spec = validateListenerCreate(
      { ...listener, default_pool_id: pool?.id ?? null },
      vipAddresses,
      vipSgIds,
      tlsPolicy,
    );
    return {
      id: newId(),
      spec,
      policies: policies.map((policy, i) => planPolicy(policy, redirects[i], protocol, resolve)),
    };
  });

  const all = [...definitions.values()];
  const policies = planned.flatMap((l) => l.policies);
  return {
    pools: all,
    listeners: planned,
    counts: {
      pool: all.length,
      member: all.reduce((n, p) => n + ((p.body.members as Parsed[] | undefined)?.length ?? 0), 0),
      health_monitor: all.filter((p) => p.body.healthmonitor).length,
      listener: planned.length,
      l7policy: policies.length,
      l7rule: policies.reduce((n, p) => n + p.rules.length, 0),
    },
  };
}

function checkPool(body: Parsed, tlsPolicy: TlsPolicy): void {
  const protocol = body.protocol as string;
  checkNewPool(body, tlsPolicy);
  const monitor = body.healthmonitor as Parsed | null | undefined;
  if (monitor) {
    refuseIf(checkHealthMonitorBody(monitor));
    refuseIf(checkHealthMonitorCreate(protocol, healthMonitorInput(monitor)));
  }
  const endpoints = new Set<string>();
  for (const member of (body.members as Parsed[] | null | undefined) ?? []) {
    checkMemberRequired(member);
    checkMemberAddress(member.address as string);
    checkMemberSriov(member);
    const endpoint = `${member.address}:${member.protocol_port}`;
    if (endpoints.has(endpoint)) {
      throw fail('octavia.duplicate-member', {
        ip: member.address as string,
        port: member.protocol_port as number,
      });
    }
    endpoints.add(endpoint);
  }
}

function planPolicy(
  policy: Parsed,
  redirectPool: string | undefined,
  listenerProtocol: string,
  resolve: (name: string) => PlannedPool,
): PlannedPolicy {
  const id = newId();
  const { redirect_pool: _, rules = [], ...fields } = policy as Parsed & { rules?: Parsed[] | null };
  let redirectPoolId: string | undefined;
  if (redirectPool !== undefined) {
    const pool = resolve(redirectPool);
    checkListenerPool(listenerProtocol, pool.id, { protocol: pool.body.protocol as string });
    redirectPoolId = pool.id;
  }
  const spec = validateL7PolicyCreate({
    ...fields,
    ...(redirectPoolId && { redirect_pool_id: redirectPoolId }),
  });
  const ruleList = rules ?? [];
  if (ruleList.length > MAX_RULES_PER_POLICY) throw fail('octavia.too-many-l7rules', { id });
  return { id, spec, rules: ruleList.map((rule) => ({ id: newId(), spec: validateL7RuleCreate(rule) })) };
}
