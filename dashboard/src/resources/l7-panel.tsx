// The L7 policies of a load balancer's listeners, and the rules of each policy, editable with the generic
// table (policies are listed once more here to know whose rules to show).
import { octavia } from '../api/octavia.ts';
import { usePolling } from '../live/use-polling.ts';
import { ChildTables } from './child-tables.tsx';
import { L7_POLICIES, L7_RULES } from './resource-specs.ts';
import { ResourceTable, type Scope } from './resource-table.tsx';

type Policy = { id: string; name: string; listener_id: string };

export function L7Panel({ scope }: { scope: Scope }) {
  const { token, place } = scope;
  const policies = usePolling(
    async () =>
      (await octavia.get<{ l7policies: Policy[] }>(token, '/l7policies')).l7policies.filter((p) =>
        place.listenerIds.includes(p.listener_id),
      ),
    2000,
    `${token} ${place.listenerIds.join()}`,
  );
  return (
    <>
      <ResourceTable scope={scope} spec={L7_POLICIES} heading="L7 policies" />
      <ChildTables
        scope={scope}
        spec={L7_RULES}
        parents={policies.value ?? []}
        parentKey="policyId"
        heading="Rules of L7 policy"
      />
    </>
  );
}
