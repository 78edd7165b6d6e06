// `/v2.0/security-groups[/{id}]` (the `security-group` extension): list, show, create, update, delete.
// A project's `default` group exists from its first call, keeps its name and is deleted only by an admin;
// a group that a port or a load balancer's VIP (vip_sg_ids) uses cannot be deleted.
// https://docs.openstack.org/api-ref/network/v2/#security-groups-security-groups
import type { FastifyInstance } from 'fastify';
import {
  createSecurityGroup,
  deleteSecurityGroup,
  ensureDefaultSecurityGroup,
  isDefaultGroup,
  isSecurityGroupInUse,
  listSecurityGroups,
  updateSecurityGroup,
} from '../../../store/repositories/security-group-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { attr, parseAttributes, readResource } from '../neutron-body.ts';
import { itemPath, NEUTRON_ROUTE, queryOf } from '../neutron-http.ts';
import { filterList, projectOne } from '../neutron-list.ts';
import { isAdmin, owningProject, visibility } from '../neutron-policy.ts';
import { tagged, taggedAll } from '../neutron-tags.ts';
import { SECURITY_GROUP_ATTRIBUTES } from './security-group-attributes.ts';
import { cannotRemoveDefault, cannotUpdateDefault, securityGroupInUse } from './security-group-errors.ts';
import { ensureDefaultForList, visibleSecurityGroup } from './security-group-lookup.ts';
import { groupToWire } from './security-group-wire.ts';

const COLLECTION = 'security-groups';

export function registerSecurityGroupRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;
  const groupsPath = `${prefix}/${COLLECTION}`;

  app.get(groupsPath, NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    await ensureDefaultForList(db, auth, queryOf(request));
    const groups = await listSecurityGroups(db, visibility(auth));
    return { security_groups: filterList(await taggedAll(db, groups.map(groupToWire)), queryOf(request)) };
  });

  app.post(groupsPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const attributes = parseAttributes(
      SECURITY_GROUP_ATTRIBUTES,
      readResource(request, 'security_group'),
      'POST',
    );
    const projectId = owningProject(auth, attributes);
    await ensureDefaultSecurityGroup(db, projectId);
    const group = await createSecurityGroup(db, {
      projectId,
      name: attr<string>(attributes, 'name') ?? '',
      description: attr<string>(attributes, 'description') ?? '',
      stateful: attr<boolean>(attributes, 'stateful') ?? true,
    });
    return reply.code(201).send({ security_group: await tagged(db, groupToWire(group)) });
  });

  app.get(itemPath(prefix, COLLECTION), NEUTRON_ROUTE, async (request) => {
    const group = await visibleSecurityGroup(db, caller(request), (request.params as { id: string }).id);
    return { security_group: projectOne(await tagged(db, groupToWire(group)), queryOf(request)) };
  });

  app.put(itemPath(prefix, COLLECTION), NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const group = await visibleSecurityGroup(db, auth, (request.params as { id: string }).id);
    const attributes = parseAttributes(
      SECURITY_GROUP_ATTRIBUTES,
      readResource(request, 'security_group'),
      'PUT',
    );
    const stateful = attr<boolean>(attributes, 'stateful');
    // update_security_group: statefulness cannot change under the ports that use the group.
    if (stateful !== undefined && stateful !== group.stateful && (await isSecurityGroupInUse(db, group.id)))
      throw securityGroupInUse(group.id);
    if (isDefaultGroup(group) && Object.hasOwn(attributes, 'name')) throw cannotUpdateDefault();
    const updated = await updateSecurityGroup(db, group.id, {
      name: attr(attributes, 'name'),
      description: attr(attributes, 'description'),
      stateful,
    });
    return { security_group: await tagged(db, groupToWire(updated)) };
  });

  app.delete(itemPath(prefix, COLLECTION), NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const group = await visibleSecurityGroup(db, auth, (request.params as { id: string }).id);
    if (await isSecurityGroupInUse(db, group.id)) throw securityGroupInUse(group.id);
    if (isDefaultGroup(group) && !isAdmin(auth)) throw cannotRemoveDefault();
    await deleteSecurityGroup(db, group.id);
    return reply.code(204).send();
  });
}
