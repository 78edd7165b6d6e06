// Converges a computed plan step by step: each write goes to Octavia with references turned into ids, then
// the load balancer is awaited back to ACTIVE, since Octavia refuses writes while it is PENDING_* (409).
import type { ApiClient, ApiObject } from './api-client.ts';
import { findSubnetId } from './find-resource.ts';
import { KINDS } from './resource-kinds.ts';
import type { Stack } from './stack-document.ts';
import { STACK_FIELDS, type StackObject } from './stack-fields.ts';
import type { PlanStep } from './stack-plan.ts';
import { type Progress, waitForLoadBalancer } from './wait-for-lb.ts';

/** Ids of the live objects the plan refers to, keyed like PlanStep.key/parentKey. */
export function liveIds(live: Stack | null): Map<string, string> {
  const ids = new Map<string, string>();
  const lb = live?.loadbalancer;
  if (!lb) return ids;
  ids.set('loadbalancer', lb.id as string);
  for (const pool of (lb.pools ?? []) as StackObject[]) ids.set(`pool:${pool.name}`, pool.id as string);
  for (const listener of (lb.listeners ?? []) as StackObject[]) {
    ids.set(`listener:${listener.name}`, listener.id as string);
    for (const policy of (listener.l7policies ?? []) as StackObject[]) {
      ids.set(`l7policy:${listener.name}/${policy.name}`, policy.id as string);
    }
  }
  return ids;
}

async function apiBody(api: ApiClient, step: PlanStep, ids: Map<string, string>): Promise<StackObject> {
  const body: StackObject = {};
  const specs = new Map(STACK_FIELDS[step.kind].map((s) => [s.field, s]));
  for (const [field, value] of Object.entries(step.fields)) {
    const spec = specs.get(field);
    let out = value;
    if (spec?.ref === 'pool') out = value ? ids.get(`pool:${value}`) : null;
    if (spec?.ref === 'subnet') out = await findSubnetId(api, String(value));
    body[spec?.api ?? field] = out;
  }
  if (step.op === 'create') {
    const parentId = ids.get(step.parentKey ?? '');
    if (step.kind === 'listener' || step.kind === 'pool') body.loadbalancer_id = parentId;
    if (step.kind === 'healthmonitor') body.pool_id = parentId;
    if (step.kind === 'l7policy') body.listener_id = parentId;
  }
  return body;
}

function collection(step: PlanStep, ids: Map<string, string>): string {
  const kind = KINDS[step.kind];
  if (kind.parent) return `/${KINDS[kind.parent].plural}/${ids.get(step.parentKey!)}/${kind.plural}`;
  return `/${kind.plural}`;
}

export async function applyPlan(
  api: ApiClient,
  steps: PlanStep[],
  live: Stack | null,
  progress?: Progress,
): Promise<void> {
  const ids = liveIds(live);
  const settle = () => waitForLoadBalancer(api, ids.get('loadbalancer')!, { progress });
  if (steps.length && ids.has('loadbalancer')) await settle();
  for (const step of steps) {
    progress?.write(`${step.op} ${step.label}\n`);
    const kind = KINDS[step.kind];
    const path = collection(step, ids);
    if (step.op === 'delete') await api.lbaas('DELETE', `${path}/${step.id}`);
    else if (step.op === 'update') {
      await api.lbaas('PUT', `${path}/${step.id}`, { [kind.envelope]: await apiBody(api, step, ids) });
    } else {
      const body = (await api.lbaas('POST', path, {
        [kind.envelope]: await apiBody(api, step, ids),
      })) as Record<string, ApiObject>;
      if (step.key) ids.set(step.key, body[kind.envelope].id);
    }
    await settle();
  }
}
