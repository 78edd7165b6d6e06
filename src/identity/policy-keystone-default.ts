// Octavia's default policy since 2025.1: Keystone's default roles `reader`, `member`, `admin` and `service`
// (octavia/policies/keystone_default_roles.py); the load-balancer_* roles grant nothing (`--rbac keystone-default`).
import { BASE_RULES } from './policy-base.ts';
import { all, OWNER, type RuleTable, role, rule } from './policy-check.ts';

/**
 * https://opendev.org/openstack/octavia/src/branch/master/octavia/policies/keystone_default_roles.py with
 * oslo.policy's defaults since 4.4.0 (2024.2), `enforce_new_defaults=True`: the deprecated load-balancer_*
 * alternatives are not OR-ed in (release note Make-keystone-default-rules-the-default-RBAC-989c51ab2e319549:
 * "the load_balancer_* roles will not longer have access"). `admin` is the only global observer and quota
 * admin; a system-scoped token owns no project, so only its `admin` role counts.
 */
export const KEYSTONE_DEFAULT_RULES: RuleTable = {
  ...BASE_RULES,
  'project-member': all(role('member'), OWNER),
  'project-reader': all(role('reader'), OWNER),
  'load-balancer:admin': role('admin'),
  service: role('service'),
  'load-balancer:global_observer': role('admin'),
  'load-balancer:member_and_owner': rule('project-member'),
  'load-balancer:observer_and_owner': rule('project-reader'),
  'load-balancer:quota-admin': role('admin'),
};
