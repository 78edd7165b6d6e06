// Refuses, before commit, a change the load balancer's provider cannot serve: 501 `Provider '<p>' does not
// support a requested option: …` (reference §1.5 ProviderUnsupportedOptionError), never a silent accept.
// runChange wraps a write transaction and checks every load balancer the transaction locked.
import { fail } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { loadDesiredState } from '../../store/repositories/desired-state-repository.ts';
import { getLoadBalancerRow } from '../../store/repositories/load-balancer-repository.ts';
import { loadBalancersLockedIn } from '../../store/repositories/octavia-lock.ts';
import type { ApiContext } from '../context.ts';

export async function requireProviderSupport(
  db: Db,
  context: ApiContext,
  loadBalancerId: string,
): Promise<void> {
  const lb = await getLoadBalancerRow(db, loadBalancerId);
  const info = context.providers.find((p) => p.name === lb?.provider);
  if (!lb || !info?.unsupportedOptions) return;
  const desired = await loadDesiredState(db, loadBalancerId, { members: false });
  const problems = desired ? info.unsupportedOptions(desired) : [];
  if (problems.length > 0) {
    throw fail('octavia.provider-unsupported', { provider: lb.provider, message: problems.join(', ') });
  }
}

/** A child-object write: `work` in one transaction, then the provider check of each locked load balancer. */
export function runChange<T>(context: ApiContext, work: (trx: Db) => Promise<T>): Promise<T> {
  return context.store.db.transaction().execute(async (trx) => {
    const result = await work(trx);
    for (const id of loadBalancersLockedIn(trx)) await requireProviderSupport(trx, context, id);
    return result;
  });
}
