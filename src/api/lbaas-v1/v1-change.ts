// Runs one LBaaS v1 write against the v2 objects realizing it. v1 has no immutable states: a client may
// create a member right after the VIP. The v2 model does (the load balancer is the lock, reference §2.2), so
// while an involved load balancer is PENDING_* the write waits for it (bounded) and then runs; an ERROR or
// an exhausted wait answers 409. Every load balancer locked or named is woken through the change feed.
import { SluiceError } from '../../errors.ts';
import { isPending } from '../../model/statuses.ts';
import type { Db } from '../../store/database.ts';
import { getLoadBalancerRow } from '../../store/repositories/load-balancer-repository.ts';
import { loadBalancersLockedIn } from '../../store/repositories/octavia-lock.ts';
import type { ApiContext } from '../context.ts';
import { runChange } from '../octavia/provider-support.ts';

/** How long a v1 write waits for a load balancer to leave PENDING_* (a provider apply takes ~1 s). */
export const V1_WAIT_MS = 30_000;
const POLL_MS = 100;

export type V1ChangeResult<T> = { value: T; wake: readonly string[] };

/**
 * `work` in one transaction (with the provider-support check of runChange). It returns its value and the
 * load balancers it changed without the child lock (a create or a delete); those it locked are added.
 */
export async function v1Change<T>(
  context: ApiContext,
  involved: readonly string[],
  work: (trx: Db) => Promise<V1ChangeResult<T>>,
): Promise<T> {
  const deadline = Date.now() + V1_WAIT_MS;
  for (;;) {
    try {
      const { value, wake } = await runChange(context, async (trx) => {
        const result = await work(trx);
        return { value: result.value, wake: [...new Set([...result.wake, ...loadBalancersLockedIn(trx)])] };
      });
      for (const id of wake) context.changes.notify(id);
      return value;
    } catch (error) {
      if (!(error instanceof SluiceError) || error.code !== 'octavia.immutable') throw error;
      if (Date.now() > deadline || !(await anyPending(context.store.db, involved))) throw busy(error);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

async function anyPending(db: Db, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return false;
  const rows = await Promise.all(ids.map((id) => getLoadBalancerRow(db, id)));
  return rows.some((lb) => lb !== undefined && isPending(lb.provisioningStatus));
}

/** The v2 refusal in Neutron's words: the object behind the v1 one cannot change now. */
const busy = (error: SluiceError) =>
  new SluiceError('network.conflict', { detail: `${error.message} Try again later.` }, 'StateInvalid');
