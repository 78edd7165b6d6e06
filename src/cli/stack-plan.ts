// Computes what `sluice apply` must do to turn the live load balancer into the stack's: per object create,
// update (only the fields that differ) or delete, in an order Octavia accepts — pools before the listeners
// and policies naming them, listeners removed before their ports are reused, pools removed last.
import { CliError } from './cli-error.ts';
import { type Stack, stackKey } from './stack-document.ts';
import { desiredValue, STACK_FIELDS, type StackKind, type StackObject, sameValue } from './stack-fields.ts';

export type Change = { field: string; from: unknown; to: unknown };

export type PlanStep = {
  op: 'create' | 'update' | 'delete';
  kind: StackKind;
  label: string;
  /** the live object's id (update, delete) */
  id?: string;
  /** where a created object's id is recorded, for the steps that name it */
  key?: string;
  /** the object it belongs to: 'loadbalancer', 'pool:web', 'listener:http', 'l7policy:http/api' */
  parentKey?: string;
  /** create: every stated field; update: the changed ones (stack names; references by name) */
  fields: StackObject;
  changes: Change[];
};

/** Plans the create of `d`, or the update of `l` to `d` (plus `extra` fields such as a policy's position). */
type CreateOrUpdate = (
  kind: StackKind,
  label: string,
  d: StackObject,
  l: StackObject | undefined,
  key: string | undefined,
  parentKey: string,
  extra?: StackObject,
) => void;

const list = (object: StackObject | undefined, key: string) => (object?.[key] ?? []) as StackObject[];
const ruleKey = (rule: StackObject) => stackKey('l7rule', rule)!;
/** Live objects by their stack key; two live objects with one key cannot be told apart, so that is an error. */
function byKey(
  objects: StackObject[],
  keyOf: (o: StackObject) => string,
  what: string,
): Map<string, StackObject> {
  const map = new Map<string, StackObject>();
  for (const o of objects) {
    const key = keyOf(o);
    if (map.has(key))
      throw new CliError(`the live load balancer has two ${what} ${key}: rename or delete one first`);
    map.set(key, o);
  }
  return map;
}

function createFields(kind: StackKind, desired: StackObject): StackObject {
  const fields: StackObject = {};
  for (const spec of STACK_FIELDS[kind]) {
    const value = desired[spec.field];
    if (value !== undefined && value !== null) fields[spec.field] = value;
  }
  return fields;
}

function diff(kind: StackKind, label: string, desired: StackObject, live: StackObject): Change[] {
  const changes: Change[] = [];
  for (const spec of STACK_FIELDS[kind]) {
    const want = desiredValue(spec, desired);
    if (want === undefined || sameValue(want, live[spec.field])) continue;
    if (spec.immutable) {
      throw new CliError(
        `${label}: ${spec.field} cannot change in place (${JSON.stringify(live[spec.field])} → ${JSON.stringify(want)}); give the new one another name to replace it`,
      );
    }
    changes.push({ field: spec.field, from: live[spec.field] ?? null, to: want });
  }
  return changes;
}

export function computePlan(desired: Stack, live: Stack | null): PlanStep[] {
  const steps: PlanStep[] = [];
  const want = desired.loadbalancer;
  const have = live?.loadbalancer;
  const lbLabel = `load balancer ${String(want.name)}`;
  const createOrUpdate: CreateOrUpdate = (kind, label, d, l, key, parentKey, extra = {}) => {
    if (!l) {
      steps.push({
        op: 'create',
        kind,
        label,
        key,
        parentKey,
        fields: { ...createFields(kind, d), ...extra },
        changes: [],
      });
      return;
    }
    const changes = diff(kind, label, d, l);
    for (const [field, to] of Object.entries(extra)) {
      if (!sameValue(l[field], to)) changes.push({ field, from: l[field] ?? null, to });
    }
    if (changes.length) {
      const fields = Object.fromEntries(changes.map((c) => [c.field, c.to]));
      steps.push({ op: 'update', kind, label, id: l.id as string, parentKey, fields, changes });
    }
  };
  const remove = (kind: StackKind, label: string, l: StackObject, parentKey: string) =>
    steps.push({ op: 'delete', kind, label, id: l.id as string, parentKey, fields: {}, changes: [] });
  const name = (o: StackObject) => String(o.name);

  createOrUpdate('loadbalancer', lbLabel, want, have, 'loadbalancer', '');

  // Pools with their members and health monitor, before anything names them.
  const livePools = byKey(list(have, 'pools'), name, 'pools named');
  for (const pool of list(want, 'pools')) {
    const poolKey = `pool:${name(pool)}`;
    const livePool = livePools.get(name(pool));
    createOrUpdate('pool', `pool ${name(pool)}`, pool, livePool, poolKey, 'loadbalancer');
    const member = (m: StackObject) => `${m.address}:${m.protocol_port}`;
    const wanted = new Set(list(pool, 'members').map(member));
    for (const m of list(livePool, 'members')) {
      if (!wanted.has(member(m))) remove('member', `member ${member(m)} of pool ${name(pool)}`, m, poolKey);
    }
    const liveMembers = byKey(list(livePool, 'members'), member, 'members');
    for (const m of list(pool, 'members')) {
      createOrUpdate(
        'member',
        `member ${member(m)} of pool ${name(pool)}`,
        m,
        liveMembers.get(member(m)),
        undefined,
        poolKey,
      );
    }
    const hm = pool.healthmonitor as StackObject | undefined;
    const liveHm = livePool?.healthmonitor as StackObject | undefined;
    const hmLabel = `health monitor of pool ${name(pool)}`;
    if (liveHm && (!hm || hm.type !== liveHm.type)) remove('healthmonitor', hmLabel, liveHm, poolKey);
    if (hm)
      createOrUpdate(
        'healthmonitor',
        hmLabel,
        hm,
        hm.type === liveHm?.type ? liveHm : undefined,
        undefined,
        poolKey,
      );
  }

  // Listeners: removed ones first (their ports may be reused), then each with its policies and rules.
  const wantedListeners = new Set(list(want, 'listeners').map(name));
  for (const l of list(have, 'listeners')) {
    if (!wantedListeners.has(name(l))) remove('listener', `listener ${name(l)}`, l, 'loadbalancer');
  }
  const liveListeners = byKey(list(have, 'listeners'), name, 'listeners named');
  for (const listener of list(want, 'listeners')) {
    const listenerKey = `listener:${name(listener)}`;
    const liveListener = liveListeners.get(name(listener));
    createOrUpdate(
      'listener',
      `listener ${name(listener)}`,
      listener,
      liveListener,
      listenerKey,
      'loadbalancer',
    );
    planPolicies(listener, liveListener, listenerKey, createOrUpdate, remove);
  }

  const wantedPools = new Set(list(want, 'pools').map(name));
  for (const p of list(have, 'pools')) {
    if (!wantedPools.has(name(p))) remove('pool', `pool ${name(p)}`, p, 'loadbalancer');
  }
  return steps;
}

/**
 * Policies keep a dense 1-based position per listener, and inserting or moving one shifts the others
 * (https://docs.openstack.org/api-ref/load-balancer/v2/#create-an-l7-policy, `position`); simulating that
 * list tells which positions really change.
 */
function planPolicies(
  listener: StackObject,
  live: StackObject | undefined,
  listenerKey: string,
  createOrUpdate: CreateOrUpdate,
  remove: (kind: StackKind, label: string, l: StackObject, parentKey: string) => void,
) {
  const of = `of listener ${String(listener.name)}`;
  const wanted = list(listener, 'l7policies');
  const wantedNames = new Set(wanted.map((p) => String(p.name)));
  const livePolicies = list(live, 'l7policies');
  const liveByName = byKey(livePolicies, (p) => String(p.name), 'L7 policies named');
  for (const p of livePolicies) {
    if (!wantedNames.has(String(p.name)))
      remove('l7policy', `L7 policy ${String(p.name)} ${of}`, p, listenerKey);
  }
  const order = livePolicies.filter((p) => wantedNames.has(String(p.name))).map((p) => String(p.name));
  wanted.forEach((policy, index) => {
    const policyName = String(policy.name);
    const livePolicy = liveByName.get(policyName);
    const at = order.indexOf(policyName);
    if (at !== -1) order.splice(at, 1);
    order.splice(index, 0, policyName);
    // An unchanged place keeps the live position, so no update is planned for it.
    const position = livePolicy && at === index ? livePolicy.position : index + 1;
    const policyKey = `l7policy:${String(listener.name)}/${policyName}`;
    const label = `L7 policy ${policyName} ${of}`;
    createOrUpdate('l7policy', label, policy, livePolicy, policyKey, listenerKey, { position });
    const rules = list(policy, 'rules');
    const wantedRules = new Set(rules.map(ruleKey));
    const liveRules = byKey(list(livePolicy, 'rules'), ruleKey, 'L7 rules');
    for (const [key, rule] of liveRules) {
      if (!wantedRules.has(key)) remove('l7rule', `L7 rule ${key} of ${label}`, rule, policyKey);
    }
    for (const rule of rules) {
      createOrUpdate(
        'l7rule',
        `L7 rule ${ruleKey(rule)} of ${label}`,
        rule,
        liveRules.get(ruleKey(rule)),
        undefined,
        policyKey,
      );
    }
  });
}

/** The plan as the CLI prints it before converging: one line per step, "no changes" when there is none. */
export function renderPlan(steps: PlanStep[]): string {
  if (steps.length === 0) return 'no changes\n';
  const lines = steps.map((step) => {
    if (step.op === 'create') return `+ create ${step.label}`;
    if (step.op === 'delete') return `- delete ${step.label}`;
    const changes = step.changes.map(
      (c) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`,
    );
    return `~ update ${step.label}: ${changes.join(', ')}`;
  });
  return `${lines.join('\n')}\n${steps.length} change${steps.length === 1 ? '' : 's'}\n`;
}
