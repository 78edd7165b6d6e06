// Which request body each documented operation takes, by "METHOD /canonical/path" as Fastify registers it.
import {
  AVAILABILITY_ZONE_PROFILE_POST_ENVELOPE,
  AVAILABILITY_ZONE_PROFILE_PUT_ENVELOPE,
} from '../octavia/availability-zone-profiles/schema.ts';
import {
  AVAILABILITY_ZONE_POST_ENVELOPE,
  AVAILABILITY_ZONE_PUT_ENVELOPE,
} from '../octavia/availability-zones/schema.ts';
import {
  FLAVOR_PROFILE_POST_ENVELOPE,
  FLAVOR_PROFILE_PUT_ENVELOPE,
} from '../octavia/flavor-profiles/schema.ts';
import { FLAVOR_POST_ENVELOPE, FLAVOR_PUT_ENVELOPE } from '../octavia/flavors/schema.ts';
import {
  HEALTH_MONITOR_POST_ENVELOPE,
  HEALTH_MONITOR_PUT_ENVELOPE,
} from '../octavia/health-monitors/schema.ts';
import { L7POLICY_POST_ENVELOPE, L7POLICY_PUT_ENVELOPE } from '../octavia/l7policies/schema.ts';
import { L7RULE_POST_ENVELOPE, L7RULE_PUT_ENVELOPE } from '../octavia/l7rules/schema.ts';
import { LISTENER_POST_ENVELOPE, LISTENER_PUT_ENVELOPE } from '../octavia/listeners/schema.ts';
import { LOAD_BALANCER_POST_ENVELOPE, LOAD_BALANCER_PUT_ENVELOPE } from '../octavia/load-balancers/schema.ts';
import {
  MEMBER_POST_ENVELOPE,
  MEMBER_PUT_ENVELOPE,
  MEMBERS_PUT_ENVELOPE,
} from '../octavia/members/schema.ts';
import { POOL_POST_ENVELOPE, POOL_PUT_ENVELOPE } from '../octavia/pools/schema.ts';
import { QUOTA_PUT_ENVELOPE } from '../octavia/quotas/schema.ts';
import type { ObjectFields } from '../wire/field-types.ts';

const LBAAS = '/v2/lbaas';

export const BODY_CATALOG: ReadonlyMap<string, ObjectFields> = new Map([
  [`POST ${LBAAS}/loadbalancers`, LOAD_BALANCER_POST_ENVELOPE],
  [`PUT ${LBAAS}/loadbalancers/:id`, LOAD_BALANCER_PUT_ENVELOPE],
  [`POST ${LBAAS}/listeners`, LISTENER_POST_ENVELOPE],
  [`PUT ${LBAAS}/listeners/:id`, LISTENER_PUT_ENVELOPE],
  [`POST ${LBAAS}/pools`, POOL_POST_ENVELOPE],
  [`PUT ${LBAAS}/pools/:id`, POOL_PUT_ENVELOPE],
  [`POST ${LBAAS}/pools/:pool_id/members`, MEMBER_POST_ENVELOPE],
  [`PUT ${LBAAS}/pools/:pool_id/members`, MEMBERS_PUT_ENVELOPE],
  [`PUT ${LBAAS}/pools/:pool_id/members/:member_id`, MEMBER_PUT_ENVELOPE],
  [`POST ${LBAAS}/healthmonitors`, HEALTH_MONITOR_POST_ENVELOPE],
  [`PUT ${LBAAS}/healthmonitors/:id`, HEALTH_MONITOR_PUT_ENVELOPE],
  [`POST ${LBAAS}/l7policies`, L7POLICY_POST_ENVELOPE],
  [`PUT ${LBAAS}/l7policies/:id`, L7POLICY_PUT_ENVELOPE],
  [`POST ${LBAAS}/l7policies/:id/rules`, L7RULE_POST_ENVELOPE],
  [`PUT ${LBAAS}/l7policies/:id/rules/:ruleId`, L7RULE_PUT_ENVELOPE],
  [`PUT ${LBAAS}/quotas/:projectId`, QUOTA_PUT_ENVELOPE],
  [`POST ${LBAAS}/flavors`, FLAVOR_POST_ENVELOPE],
  [`PUT ${LBAAS}/flavors/:id`, FLAVOR_PUT_ENVELOPE],
  [`POST ${LBAAS}/flavorprofiles`, FLAVOR_PROFILE_POST_ENVELOPE],
  [`PUT ${LBAAS}/flavorprofiles/:id`, FLAVOR_PROFILE_PUT_ENVELOPE],
  [`POST ${LBAAS}/availabilityzones`, AVAILABILITY_ZONE_POST_ENVELOPE],
  [`PUT ${LBAAS}/availabilityzones/:name`, AVAILABILITY_ZONE_PUT_ENVELOPE],
  [`POST ${LBAAS}/availabilityzoneprofiles`, AVAILABILITY_ZONE_PROFILE_POST_ENVELOPE],
  [`PUT ${LBAAS}/availabilityzoneprofiles/:id`, AVAILABILITY_ZONE_PROFILE_PUT_ENVELOPE],
]);
