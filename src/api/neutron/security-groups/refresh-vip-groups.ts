// After a port joins or leaves security groups (or changes its addresses), the load balancers whose VIP groups
// admit those groups' members (a rule's remote_group_id) re-render: their admitted sources changed.
import { refreshLoadBalancersUsing } from '../../../store/repositories/security-group-users.ts';
import type { ApiContext } from '../../context.ts';

export async function refreshVipGroups(context: ApiContext, groupIds: readonly string[]): Promise<void> {
  if (groupIds.length === 0) return;
  const refreshed = await refreshLoadBalancersUsing(context.store.db, groupIds);
  for (const id of refreshed) context.changes.notify(id);
}
