// Octavia's "Advanced RBAC" policy: the load-balancer_* roles decide (Octavia's default until 2024.2,
// the etc/policy/octavia-advanced-rbac-policy.yaml override since 2025.1). Sluice's default (`--rbac`).
import { BASE_RULES } from './policy-base.ts';
import { all, any, OWNER, type RuleTable, role, rule, SYSTEM_SCOPE } from './policy-check.ts';

/**
 * The Zed defaults with `[oslo_policy] enforce_new_defaults=False`, so each new default is OR-ed with its
 * deprecated alternative (octavia/policies/advanced_rbac.py). The load-balancer_observer and _member roles
 * need only ownership, not also Keystone's reader/member; `admin` in any scope is an admin. Zed also counted
 * a system-scoped `reader` as a global observer (`rule:system-reader`), which Sluice keeps; master's
 * override file no longer does.
 */
export const ADVANCED_RULES: RuleTable = {
  ...BASE_RULES,
  'load-balancer:owner': OWNER,
  'load-balancer:admin': any(role('admin'), role('load-balancer_admin')),
  'load-balancer:observer_and_owner': all(role('load-balancer_observer'), rule('load-balancer:owner')),
  'load-balancer:global_observer': any(
    role('load-balancer_global_observer'),
    all(role('reader'), SYSTEM_SCOPE),
  ),
  'load-balancer:member_and_owner': all(role('load-balancer_member'), rule('load-balancer:owner')),
  'load-balancer:quota-admin': role('load-balancer_quota_admin'),
  // Defined in octavia/policies/keystone_default_roles.py, which is registered whatever the policy file
  // says; the advanced override file does not redefine it, so Aodh's service user lists members here too.
  service: role('service'),
};
