// Builds the `statuses` tree of a load balancer (reference §3.4): per listener, its default pool plus the
// redirect pools of enabled L7 policies that have a rule, deduplicated; per pool its `health_monitor`
// (absent when none) and members. Empty names render as "".
import type { LoadBalancer } from '../../../model/load-balancer.ts';
import type { StatusRows } from '../../../store/repositories/load-balancer-children.ts';

type Named = { id: string; name: string | null; provisioning_status: string; operating_status: string };
const status = (o: Named) => ({
  id: o.id,
  name: o.name ?? '',
  provisioning_status: o.provisioning_status,
  operating_status: o.operating_status,
});

export function buildStatusTree(lb: LoadBalancer, rows: StatusRows): Record<string, unknown> {
  const pool = (id: string) => {
    const row = rows.pools.find((p) => p.id === id);
    if (!row) return undefined;
    const monitor = rows.monitors.find((m) => m.pool_id === id);
    return {
      ...status(row),
      ...(monitor && { health_monitor: { ...status(monitor), type: monitor.type } }),
      members: rows.members
        .filter((m) => m.pool_id === id)
        .map((m) => ({ ...status(m), address: m.address, protocol_port: m.protocol_port })),
    };
  };
  return {
    id: lb.id,
    name: lb.name ?? '',
    provisioning_status: lb.provisioningStatus,
    operating_status: lb.operatingStatus,
    listeners: rows.listeners.map((listener) => {
      const poolIds = [
        ...(listener.default_pool_id ? [listener.default_pool_id] : []),
        ...rows.redirects.filter((r) => r.listener_id === listener.id).map((r) => r.redirect_pool_id),
      ];
      return {
        ...status(listener),
        pools: [...new Set(poolIds)].map(pool).filter((p) => p !== undefined),
      };
    }),
  };
}
