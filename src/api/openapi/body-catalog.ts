// Which request body each documented operation takes, by "METHOD /canonical/path".
import { LOAD_BALANCER_POST_ENVELOPE, LOAD_BALANCER_PUT_ENVELOPE } from '../octavia/load-balancer-schema.js';
import type { ObjectFields } from '../wire/field-types.js';

export const BODY_CATALOG: ReadonlyMap<string, ObjectFields> = new Map([
  ['POST /v2/lbaas/loadbalancers', LOAD_BALANCER_POST_ENVELOPE],
  ['PUT /v2/lbaas/loadbalancers/:id', LOAD_BALANCER_PUT_ENVELOPE],
]);
