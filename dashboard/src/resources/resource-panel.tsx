// Everything under one load balancer, editable: its listeners, pools, each pool's members, the health
// monitors and the L7 policies with their rules, one ResourceTable each.
import type { Ask } from '../components/use-confirm.tsx';
import { ChildTables } from './child-tables.tsx';
import { L7Panel } from './l7-panel.tsx';
import { HEALTH_MONITORS, LISTENERS, MEMBERS, POOLS } from './resource-specs.ts';
import { ResourceTable } from './resource-table.tsx';

type Props = {
  token: string;
  lbId: string;
  pools: readonly { id: string; name: string }[];
  listenerIds: readonly string[];
  ask: Ask;
};

export function ResourcePanel({ token, lbId, pools, listenerIds, ask }: Props) {
  const scope = { token, ask, place: { lbId, poolIds: pools.map((p) => p.id), listenerIds } };
  return (
    <section aria-labelledby="objects-title">
      <h2 id="objects-title">Objects</h2>
      <ResourceTable scope={scope} spec={LISTENERS} heading="Listeners" />
      <ResourceTable scope={scope} spec={POOLS} heading="Pools" />
      <ChildTables
        scope={scope}
        spec={MEMBERS}
        parents={pools}
        parentKey="poolId"
        heading="Members of pool"
      />
      <ResourceTable scope={scope} spec={HEALTH_MONITORS} heading="Health monitors" />
      <L7Panel scope={scope} />
    </section>
  );
}
