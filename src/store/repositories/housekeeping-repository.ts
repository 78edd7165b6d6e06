// SQL for housekeeping (architecture §1): purging rows nobody can see any more — load balancers DELETED long
// enough ago (the API already answers 404 for them; Octavia keeps them for load_balancer_expiry_age), and
// tokens past their expiry. A purged load balancer's status events and access logs go with it, in the same
// transaction.
import { type Db, inTransaction } from '../database.ts';

export async function purgeDeletedLoadBalancers(db: Db, olderThan: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    const expired = trx
      .selectFrom('load_balancers')
      .select('id')
      .where('provisioning_status', '=', 'DELETED')
      .where('updated_at', '<', olderThan);
    await trx.deleteFrom('status_events').where('load_balancer_id', 'in', expired).execute();
    await trx.deleteFrom('access_logs').where('load_balancer_id', 'in', expired).execute();
    await trx.deleteFrom('access_log_drops').where('load_balancer_id', 'in', expired).execute();
    const result = await trx
      .deleteFrom('load_balancers')
      .where('provisioning_status', '=', 'DELETED')
      .where('updated_at', '<', olderThan)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

export async function purgeExpiredTokens(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('tokens').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
