// Applies the Octavia default policy (identity/policy.ts) to requests: 403 faults for denied actions and
// the project scope of list calls (reference §9.2, "List scoping").
import { fail } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import { authorize, listScope, type PolicyAction, type PolicyObject } from '../../identity/policy.ts';

export function enforce(
  ctx: AuthContext,
  object: PolicyObject,
  action: PolicyAction,
  projectId: string | null,
): void {
  if (!authorize(ctx, object, action, projectId)) throw fail('octavia.policy-forbidden');
}

/** The project a list is restricted to, or undefined for "every project"; throws 403 when not allowed. */
export function scopeOfList(
  ctx: AuthContext,
  object: PolicyObject,
  requested: string | undefined,
): string | undefined {
  const scope = listScope(ctx, object, requested);
  if (scope === 'forbidden') throw fail('octavia.policy-forbidden');
  return 'all' in scope ? requested : scope.projectId;
}
