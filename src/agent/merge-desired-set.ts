// The agent's whole desired set from an answer of the long-poll: the answer itself when it is whole, or the set
// held for the etag the agent sent with the answer's changes applied (DesiredSet.delta). Pure: the caller
// keeps the result together with the answer's etag.
import type { Assignment, DesiredSet } from '../model/agent-protocol.ts';

export function mergeDesiredSet(
  held: ReadonlyMap<string, Assignment>,
  etag: string,
  set: DesiredSet,
): Map<string, Assignment> {
  if (!set.delta) return new Map(set.assignments.map((a) => [a.desired.id, a]));
  // A change to a set this agent does not hold cannot be applied: the caller starts again from a whole set.
  if (set.delta.base !== etag)
    throw new Error(`desired-state delta from ${set.delta.base}, held ${etag || 'none'}`);
  const merged = new Map(held);
  for (const id of set.delta.gone) merged.delete(id);
  for (const assignment of set.assignments) merged.set(assignment.desired.id, assignment);
  return merged;
}
