// The `load-balancer:*` API rules every Octavia policy shares (octavia/policies/base.py), written over the
// role rules each policy defines its own way (policy-advanced.ts, policy-keystone-default.ts).
import { any, type RuleTable, rule } from './policy-check.ts';

const observerAndOwner = rule('load-balancer:observer_and_owner');
const globalObserver = rule('load-balancer:global_observer');
const memberAndOwner = rule('load-balancer:member_and_owner');
const quotaAdmin = rule('load-balancer:quota-admin');
const admin = rule('load-balancer:admin');

/** https://opendev.org/openstack/octavia/src/branch/master/octavia/policies/base.py */
export const BASE_RULES: RuleTable = {
  'load-balancer:read': any(observerAndOwner, globalObserver, memberAndOwner, admin),
  'load-balancer:read-global': any(globalObserver, admin),
  'load-balancer:write': any(memberAndOwner, admin),
  'load-balancer:read-quota': any(observerAndOwner, globalObserver, memberAndOwner, quotaAdmin, admin),
  'load-balancer:read-quota-global': any(globalObserver, quotaAdmin, admin),
  'load-balancer:write-quota': any(quotaAdmin, admin),
};
