// `/v2.0/qos/policies[/{id}]` (extensions `qos`, `qos-default`) and `GET /v2.0/qos/rule-types`. Anyone sees
// their project's and shared policies; creating, changing and deleting one takes an admin (Neutron's
// create/update/delete_policy, admin or a project manager, a role Sluice does not have).
// Sluice enforces no QoS rule type: rule-types is empty, and the rule collections under a policy are not
// served (404), as in a Neutron whose QoS drivers support no rule.
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from '../../../identity/auth-context.ts';
import type { QosPolicy } from '../../../model/qos-policy.ts';
import type { Db } from '../../../store/database.ts';
import {
  createQosPolicy,
  deleteQosPolicy,
  findQosPolicy,
  listQosPolicies,
  qosPolicyNotFound,
  updateQosPolicy,
} from '../../../store/repositories/qos-policy-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { type AttributeMap, attr, parseAttributes, readResource } from '../neutron-body.ts';
import { itemPath, NEUTRON_ROUTE, queryOf } from '../neutron-http.ts';
import { filterList, projectOne } from '../neutron-list.ts';
import { isAdmin, owningProject, policyDenied, visibility } from '../neutron-policy.ts';
import { tagged, taggedAll } from '../neutron-tags.ts';
import { bool, str, uuid } from '../neutron-validators.ts';
import { qosPolicyToWire } from './wire.ts';

const readOnly = { post: false, put: false, convert: str() } as const;

export const QOS_POLICY_ATTRIBUTES: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  name: { post: 'optional', put: true, convert: str(255) },
  description: { post: 'optional', put: true, convert: str(255) },
  shared: { post: 'optional', put: true, convert: bool },
  is_default: { post: 'optional', put: true, convert: bool },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  rules: readOnly,
  tags: readOnly,
  revision_number: readOnly,
  created_at: readOnly,
  updated_at: readOnly,
};

/** A policy the caller may see (its project's, or shared); any other is 404 QosPolicyNotFound. */
async function visiblePolicy(db: Db, auth: AuthContext, id: string): Promise<QosPolicy> {
  const policy = await findQosPolicy(db, id, visibility(auth));
  if (!policy) throw qosPolicyNotFound(id);
  return policy;
}

export function registerQosRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;
  const policiesPath = `${prefix}/qos/policies`;

  app.get(`${prefix}/qos/rule-types`, NEUTRON_ROUTE, async () => ({ rule_types: [] }));

  app.get(policiesPath, NEUTRON_ROUTE, async (request) => {
    const policies = await listQosPolicies(db, visibility(caller(request)));
    return { policies: filterList(await taggedAll(db, policies.map(qosPolicyToWire)), queryOf(request)) };
  });

  app.post(policiesPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const attributes = parseAttributes(QOS_POLICY_ATTRIBUTES, readResource(request, 'policy'), 'POST');
    if (!isAdmin(auth)) throw policyDenied('create_policy');
    const policy = await createQosPolicy(db, {
      projectId: owningProject(auth, attributes),
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      shared: attr(attributes, 'shared'),
      isDefault: attr(attributes, 'is_default'),
    });
    return reply.code(201).send({ policy: await tagged(db, qosPolicyToWire(policy)) });
  });

  app.get(itemPath(prefix, 'qos/policies'), NEUTRON_ROUTE, async (request) => {
    const policy = await visiblePolicy(db, caller(request), (request.params as { id: string }).id);
    return { policy: projectOne(await tagged(db, qosPolicyToWire(policy)), queryOf(request)) };
  });

  app.put(itemPath(prefix, 'qos/policies'), NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const policy = await visiblePolicy(db, auth, (request.params as { id: string }).id);
    const attributes = parseAttributes(QOS_POLICY_ATTRIBUTES, readResource(request, 'policy'), 'PUT');
    if (!isAdmin(auth)) throw policyDenied('update_policy');
    const updated = await updateQosPolicy(db, policy.id, {
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      shared: attr(attributes, 'shared'),
      isDefault: attr(attributes, 'is_default'),
    });
    return { policy: await tagged(db, qosPolicyToWire(updated)) };
  });

  app.delete(itemPath(prefix, 'qos/policies'), NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const policy = await visiblePolicy(db, auth, (request.params as { id: string }).id);
    if (!isAdmin(auth)) throw policyDenied('delete_policy');
    await deleteQosPolicy(db, policy.id);
    return reply.code(204).send();
  });
}
