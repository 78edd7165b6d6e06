// Security groups and rules written straight into the store, for tests of what uses them (load balancers'
// vip_sg_ids) without going through Neutron's security-group routes.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/store/database.ts';

export type TestRule = Partial<{
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
}>;

/** A group of `projectId` holding `rules` (ingress IPv4, any protocol and port, any remote unless given). */
export async function insertSecurityGroup(
  db: Db,
  projectId: string,
  rules: readonly TestRule[] = [],
  name = 'test-group',
): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  await db
    .insertInto('security_groups')
    .values({
      id,
      project_id: projectId,
      name,
      description: '',
      stateful: 1,
      revision_number: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const rule of rules) await insertSecurityGroupRule(db, id, projectId, rule);
  return id;
}

/** One more rule in group `groupId`; returns its id. */
export async function insertSecurityGroupRule(
  db: Db,
  groupId: string,
  projectId: string,
  rule: TestRule,
): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  await db
    .insertInto('security_group_rules')
    .values({
      id,
      security_group_id: groupId,
      project_id: projectId,
      direction: rule.direction ?? 'ingress',
      ethertype: rule.ethertype ?? 'IPv4',
      protocol: rule.protocol ?? null,
      port_range_min: rule.portRangeMin ?? null,
      port_range_max: rule.portRangeMax ?? null,
      remote_ip_prefix: rule.remoteIpPrefix ?? null,
      remote_group_id: rule.remoteGroupId ?? null,
      description: '',
      revision_number: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
