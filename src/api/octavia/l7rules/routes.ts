// `/l7policies/{id}/rules`: list, create, show, update, delete (reference §8.2). Writes need the policy
// ACTIVE (409 `L7Policy <id> is immutable…`), then lock the load balancer and mark the policy and its
// listener PENDING_UPDATE, in one transaction (§2.2). A rule under another policy is not found.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { type L7Policy, MAX_RULES_PER_POLICY } from '../../../model/l7.ts';
import { newId } from '../../../store/codec.ts';
import type { Db } from '../../../store/database.ts';
import {
  countL7Rules,
  findL7Policy,
  findL7Rule,
  insertL7Rule,
  listL7Rules,
  pageL7Rules,
  updateL7Rule,
} from '../../../store/repositories/l7-repository.ts';
import {
  lockLoadBalancerForChild,
  requireActive,
  setProvisioningStatus,
} from '../../../store/repositories/octavia-lock.ts';
import { enforceQuota } from '../../../store/repositories/quota-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { type ListRoute, registerListRoute } from '../list-route.ts';
import { parentOwner } from '../parent-owner.ts';
import { runChange } from '../provider-support.ts';
import { octaviaRbac } from '../rbac.ts';
import {
  L7RULE_POST_ENVELOPE,
  L7RULE_PUT_ENVELOPE,
  validateL7RuleCreate,
  validateL7RuleUpdate,
} from './schema.ts';
import { L7RULE_ATTRIBUTES, L7RULE_COLUMNS, L7RULE_FILTERS, l7RuleToWire } from './wire.ts';

type PolicyParams = { Params: { id: string }; Querystring: Query };
type RuleParams = { Params: { id: string; ruleId: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };

export async function registerL7RuleRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  // Octavia resolves the policy while routing, before the body is read; its message says `L7Policy`.
  async function policyOf(id: string) {
    const policy = await findL7Policy(db, id);
    if (!policy) throw fail('octavia.not-found', { resource: 'L7Policy', id });
    return policy;
  }
  async function ruleOf(policy: L7Policy, id: string) {
    const rule = await findL7Rule(db, id);
    if (!rule || rule.l7PolicyId !== policy.id) throw fail('octavia.not-found', { resource: 'L7 Rule', id });
    return rule;
  }
  /** The state gate of a rule change: policy ACTIVE, load balancer taken, policy and listener pending. */
  async function lockRule(trx: Db, policy: L7Policy, ruleId: string) {
    await requireActive(trx, 'l7policies', policy.id);
    await lockLoadBalancerForChild(trx, policy.loadBalancerId, [{ table: 'l7rules', id: ruleId }]);
    await setProvisioningStatus(trx, 'l7policies', [policy.id], 'PENDING_UPDATE');
    await setProvisioningStatus(trx, 'listeners', [policy.listenerId], 'PENDING_UPDATE');
  }

  registerListRoute(app, rbac, l7RuleList(db));

  app.post<PolicyParams>('/l7policies/:id/rules', octavia, async (request, reply) => {
    const policy = await policyOf(request.params.id);
    const body = readBody(request, 'rule_', L7RULE_POST_ENVELOPE).rule as Record<string, unknown>;
    // Octavia validates the rule before it checks who is asking (l7rule.py post).
    const spec = validateL7RuleCreate(body);
    enforce(caller(request), 'l7rule', 'post', policy.projectId);
    const id = newId();
    await runChange(context, async (trx) => {
      await lockRule(trx, policy, id);
      if ((await countL7Rules(trx, policy.id)) >= MAX_RULES_PER_POLICY) {
        throw fail('octavia.too-many-l7rules', { id: policy.id });
      }
      await enforceQuota(trx, policy.projectId, { l7rule: 1 });
      await insertL7Rule(trx, {
        ...spec,
        id,
        projectId: policy.projectId,
        loadBalancerId: policy.loadBalancerId,
        l7PolicyId: policy.id,
      });
    });
    context.changes.notify(policy.loadBalancerId);
    return reply.code(201).send({ rule: l7RuleToWire(await ruleOf(policy, id)) });
  });

  app.get<RuleParams>('/l7policies/:id/rules/:ruleId', octavia, async (request) => {
    let { id, ruleId } = request.params;
    // python-octaviaclient 3.x (Debian bookworm) shows the new rule after `l7rule create --wait` with the
    // two ids swapped; Octavia answers 404 there, breaking the command. A lookup that would be a 404 anyway
    // is retried the other way round, so the distribution's client works.
    const swapped = await findL7Rule(db, id);
    if (swapped && swapped.l7PolicyId === ruleId && !(await findL7Policy(db, id)))
      [id, ruleId] = [ruleId, id];
    const policy = await policyOf(id);
    const rule = await ruleOf(policy, ruleId);
    enforce(caller(request), 'l7rule', 'get_one', rule.projectId);
    return { rule: project(l7RuleToWire(rule), request.query) };
  });

  app.put<RuleParams>('/l7policies/:id/rules/:ruleId', octavia, async (request) => {
    const policy = await policyOf(request.params.id);
    const body = readBody(request, 'rule_', L7RULE_PUT_ENVELOPE).rule as Record<string, unknown>;
    const rule = await ruleOf(policy, request.params.ruleId);
    // The stored rule merged with the body is validated before RBAC, as Octavia does (l7rule.py put).
    const changes = validateL7RuleUpdate(body, rule);
    enforce(caller(request), 'l7rule', 'put', rule.projectId);
    await runChange(context, async (trx) => {
      await lockRule(trx, policy, rule.id);
      await updateL7Rule(trx, rule.id, changes);
    });
    context.changes.notify(policy.loadBalancerId);
    return { rule: l7RuleToWire(await ruleOf(policy, rule.id)) };
  });

  app.delete<RuleParams>('/l7policies/:id/rules/:ruleId', octavia, async (request, reply) => {
    const policy = await policyOf(request.params.id);
    const rule = await ruleOf(policy, request.params.ruleId);
    enforce(caller(request), 'l7rule', 'delete', rule.projectId);
    await runChange(context, async (trx) => {
      await lockRule(trx, policy, rule.id);
      await setProvisioningStatus(trx, 'l7rules', [rule.id], 'PENDING_DELETE');
    });
    context.changes.notify(policy.loadBalancerId);
    return reply.code(204).send();
  });
}

/** The rules' list of a policy: in SQL when the request allows, else read whole and listed in memory. */
export function l7RuleList(db: Db): ListRoute<{ id: string }> {
  return {
    path: '/l7policies/:id/rules',
    collection: 'rules',
    object: 'l7rule',
    scope: 'parent',
    parent: (request) => parentOwner(db, 'l7policies', 'L7Policy', request.params.id),
    // openstacksdk filters on `l7policy_id`
    parentKey: 'l7policy_id',
    rows: async (policy) => (await listL7Rules(db, policy.id)).map(l7RuleToWire),
    sql: {
      columns: L7RULE_COLUMNS,
      page: async (policy, spec) => (await pageL7Rules(db, policy.id, spec))?.map(l7RuleToWire),
    },
    attributes: L7RULE_ATTRIBUTES,
    filters: L7RULE_FILTERS,
  };
}
