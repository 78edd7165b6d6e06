// One table per parent object for a kind that lives below another (members of each pool, rules of each L7
// policy), each headed with its parent's name.
import type { ResourceSpec } from './resource-specs.ts';
import { ResourceTable, type Scope } from './resource-table.tsx';

type Props = {
  scope: Scope;
  spec: ResourceSpec;
  parents: readonly { id: string; name: string }[];
  /** which place attribute names the parent */
  parentKey: 'poolId' | 'policyId';
  /** the heading before the parent's name, e.g. "Members of pool" */
  heading: string;
};

export function ChildTables({ scope, spec, parents, parentKey, heading }: Props) {
  return (
    <>
      {parents.map((parent) => (
        <ResourceTable
          key={parent.id}
          scope={{ ...scope, place: { ...scope.place, [parentKey]: parent.id } }}
          spec={spec}
          heading={`${heading} ${parent.name || parent.id.slice(0, 8)}`}
        />
      ))}
    </>
  );
}
