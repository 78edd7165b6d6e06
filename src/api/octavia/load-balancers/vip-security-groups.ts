// A load balancer's `vip_sg_ids` (API v2.29): each must be a security group the caller can see, as Octavia
// checks with the user's context (octavia/common/validate.py security_group_exists), and they are the VIP
// port's groups, so Neutron shows them on the port and refuses deleting a group in use.
import { fail } from '../../../errors.ts';
import type { AuthContext } from '../../../identity/auth-context.ts';
import type { Db } from '../../../store/database.ts';
import { getPort, updatePort } from '../../../store/repositories/port-repository.ts';
import { findSecurityGroup } from '../../../store/repositories/security-group-repository.ts';
import { visibility } from '../../neutron/neutron-policy.ts';

/** 400 InvalidSubresource `Security Group <id> not found.` for the first id the caller cannot see. */
export async function requireVisibleSecurityGroups(
  db: Db,
  auth: AuthContext,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) {
    if (!(await findSecurityGroup(db, id, visibility(auth)))) {
      throw fail('octavia.invalid-subresource', { resource: 'Security Group', id });
    }
  }
}

/** Sets the groups on the VIP port when it is a Sluice port (the noop network driver makes up its id). */
export async function setVipPortSecurityGroups(
  db: Db,
  portId: string,
  ids: readonly string[],
): Promise<void> {
  if (await getPort(db, portId)) await updatePort(db, portId, { securityGroups: [...new Set(ids)] });
}
