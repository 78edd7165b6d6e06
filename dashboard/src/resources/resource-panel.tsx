// Everything under one load balancer, editable: its listeners, pools, each pool's members and the health
// monitors, one ResourceTable each.
import type { Ask } from '../components/use-confirm.tsx';
import { HEALTH_MONITORS, LISTENERS, MEMBERS, POOLS } from './resource-specs.ts';
import { ResourceTable } from './resource-table.tsx';

type Props = { token: string; lbId: string; pools: readonly { id: string; name: string }[]; ask: Ask };

export function ResourcePanel({ token, lbId, pools, ask }: Props) {
  const place = { lbId, poolIds: pools.map((p) => p.id) };
  return (
    <section aria-labelledby="objects-title">
      <h2 id="objects-title">Objects</h2>
      <ResourceTable token={token} spec={LISTENERS} place={place} ask={ask} heading="Listeners" />
      <ResourceTable token={token} spec={POOLS} place={place} ask={ask} heading="Pools" />
      {pools.map((pool) => (
        <ResourceTable
          key={pool.id}
          token={token}
          spec={MEMBERS}
          place={{ ...place, poolId: pool.id }}
          ask={ask}
          heading={`Members of pool ${pool.name || pool.id.slice(0, 8)}`}
        />
      ))}
      <ResourceTable token={token} spec={HEALTH_MONITORS} place={place} ask={ask} heading="Health monitors" />
    </section>
  );
}
