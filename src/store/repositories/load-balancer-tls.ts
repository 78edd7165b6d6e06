// Whether a load balancer's certificate refs all resolve, reading only its TERMINATED_HTTPS listeners and
// tls_enabled pools: the provisioner's check before a change goes to agents, which once loaded the whole
// desired state (every member of a 10,000-member pool) on every pass to learn it (issue #18).
import type { SecretReaders } from '../../tls/secret-reader.ts';
import type { Db } from '../database.ts';
import { listenerTlsRefs, poolTlsRefs, resolveListenerTls, resolvePoolTls } from './tls-resolution.ts';

/** Resolves every ref as loadDesiredState would, throwing the same reason on the first that fails. */
export async function resolveLoadBalancerTls(db: Db, loadBalancerId: string, secrets: SecretReaders) {
  const [listeners, pools] = await Promise.all([
    db
      .selectFrom('listeners')
      .selectAll()
      .where('load_balancer_id', '=', loadBalancerId)
      .where('provisioning_status', '!=', 'PENDING_DELETE')
      .where('protocol', '=', 'TERMINATED_HTTPS')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('pools')
      .selectAll()
      .where('load_balancer_id', '=', loadBalancerId)
      .where('provisioning_status', '!=', 'PENDING_DELETE')
      .where('tls_enabled', '=', 1)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  await Promise.all(listeners.map((l) => resolveListenerTls(secrets, listenerTlsRefs(l))));
  await Promise.all(pools.map((p) => resolvePoolTls(secrets, poolTlsRefs(p))));
}
