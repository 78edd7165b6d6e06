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
  // Indexed once, so a tree of P pools and M members costs P + M steps, not P × M.
  const pools = new Map(rows.pools.map((p) => [p.id, p]));
  const monitors = new Map<string, StatusRows['monitors'][number]>();
  for (const m of rows.monitors) if (!monitors.has(m.pool_id)) monitors.set(m.pool_id, m);
  const members = Map.groupBy(rows.members, (m) => m.pool_id);
  const redirects = Map.groupBy(rows.redirects, (r) => r.listener_id);
  const pool = (id: string) => {
    const row = pools.get(id);
    if (!row) return undefined;
    const monitor = monitors.get(id);
    return {
      ...status(row),
      ...(monitor && { health_monitor: { ...status(monitor), type: monitor.type } }),
      members: (members.get(id) ?? []).map((m) => ({
        ...status(m),
        address: m.address,
        protocol_port: m.protocol_port,
      })),
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
        ...(redirects.get(listener.id) ?? []).map((r) => r.redirect_pool_id),
      ];
      return {
        ...status(listener),
        pools: [...new Set(poolIds)].map(pool).filter((p) => p !== undefined),
      };
    }),
  };
}
