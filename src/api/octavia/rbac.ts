// Applies the Octavia RBAC policy the deployment chose (`--rbac`, identity/policy.ts) to requests: 403 faults
// for denied actions and the project scope of list calls (octavia/api/v2/controllers/base.py).
import type { SluiceConfig } from '../../config/config.ts';
import { fail } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import {
  authorize,
  listScope,
  type PolicyAction,
  type PolicyObject,
  RBAC_POLICIES,
} from '../../identity/policy.ts';

export type OctaviaRbac = Readonly<{
  /** throws 403 unless the caller may perform `action` on `object` owned by `projectId` */
  enforce(ctx: AuthContext, object: PolicyObject, action: PolicyAction, projectId: string | null): void;
  /** the project a list is restricted to, or undefined for "every project"; throws 403 when not allowed */
  scopeOfList(ctx: AuthContext, object: PolicyObject, requested: string | undefined): string | undefined;
}>;

/** The checks of the policy `config.rbac` names; each route module binds them once when it registers. */
export function octaviaRbac(config: Pick<SluiceConfig, 'rbac'>): OctaviaRbac {
  const policy = RBAC_POLICIES[config.rbac];
  return {
    enforce(ctx, object, action, projectId) {
      if (!authorize(policy, ctx, object, action, projectId)) throw fail('octavia.policy-forbidden');
    },
    scopeOfList(ctx, object, requested) {
      const scope = listScope(policy, ctx, object, requested);
      if (scope === 'forbidden') throw fail('octavia.policy-forbidden');
      return 'all' in scope ? requested : scope.projectId;
    },
  };
}
