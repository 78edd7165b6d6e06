// The LBaaS v1 attribute maps and converters (neutron-lbaas v1 extensions/loadbalancer.py
// RESOURCE_ATTRIBUTE_MAP): what each of pools, members, VIPs and health monitors accepts on POST and PUT.
import { V1_LB_METHODS, V1_MONITOR_TYPES, V1_PERSISTENCE_TYPES, V1_PROTOCOLS } from '../../model/lbaas-v1.ts';
import type { AttributeMap } from '../neutron/neutron-body.ts';
import {
  bool,
  type Convert,
  InvalidAttribute,
  int,
  ip,
  str,
  uuid,
  uuidList,
} from '../neutron/neutron-validators.ts';
import { pyStr } from '../wire/py-str.ts';

const invalid = (reason: string): never => {
  throw new InvalidAttribute(reason);
};

/** type:values — `'X' is not in ['A', 'B']`. */
export const oneOf =
  (values: readonly string[]): Convert =>
  (value) =>
    typeof value === 'string' && values.includes(value)
      ? value
      : invalid(`'${pyStr(value)}' is not in ${pyStr([...values])}`);

/** convert_to_int + type:range. */
export const inRange =
  (min: number, max: number): Convert =>
  (value) => {
    const n = int(value) as number;
    return n < min || n > max ? invalid(`'${n}' is not in range ${min} through ${max}`) : n;
  };

const nonNegative: Convert = (value) => {
  const n = int(value) as number;
  return n < 0 ? invalid(`'${n}' should be non-negative`) : n;
};

/** `200`, `200,202` or `200-204` (the v1 expected_codes regex). */
const expectedCodes: Convert = (value) =>
  typeof value === 'string' && /^(\d{3}(\s*,\s*\d{3})*)$|^(\d{3}-\d{3})$/.test(value)
    ? value
    : invalid(`'${pyStr(value)}' does not match '^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$'`);

export type PersistenceRequest = { type: string; cookieName: string | null } | null;

/** session_persistence: null/{} for none, else {type, cookie_name?}. */
export const sessionPersistence: Convert = (value): PersistenceRequest => {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    return invalid(`'${pyStr(value)}' is not a dictionary`);
  const dict = value as Record<string, unknown>;
  if (Object.keys(dict).length === 0) return null;
  const unknown = Object.keys(dict).filter((k) => k !== 'type' && k !== 'cookie_name');
  if (unknown.length > 0) return invalid(`Unexpected keys supplied: ${unknown.sort().join(', ')}`);
  const type = oneOf(V1_PERSISTENCE_TYPES)(dict.type) as string;
  const cookieName =
    dict.cookie_name === undefined || dict.cookie_name === null ? null : str(1024)(dict.cookie_name);
  return { type, cookieName: cookieName as string | null };
};

const readOnly = { post: false, put: false, convert: str() } as const;
const common: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  admin_state_up: { post: 'optional', put: true, convert: bool },
  status: readOnly,
  status_description: readOnly,
};

export const V1_POOL_ATTRIBUTES: AttributeMap = {
  ...common,
  vip_id: readOnly,
  name: { post: 'optional', put: true, convert: str(255) },
  description: { post: 'optional', put: true, convert: str(255) },
  subnet_id: { post: 'required', put: false, convert: uuid },
  protocol: { post: 'required', put: false, convert: oneOf(V1_PROTOCOLS) },
  provider: { post: 'optional', put: false, convert: str(255) },
  lb_method: { post: 'required', put: true, convert: oneOf(V1_LB_METHODS) },
  members: readOnly,
  health_monitors: { post: 'optional', put: false, convert: uuidList },
  health_monitors_status: readOnly,
};

export const V1_MEMBER_ATTRIBUTES: AttributeMap = {
  ...common,
  pool_id: { post: 'required', put: true, convert: uuid },
  address: { post: 'required', put: false, convert: ip },
  protocol_port: { post: 'required', put: false, convert: inRange(0, 65535) },
  weight: { post: 'optional', put: true, convert: inRange(0, 256) },
};

export const V1_VIP_ATTRIBUTES: AttributeMap = {
  ...common,
  name: { post: 'optional', put: true, convert: str(255) },
  description: { post: 'optional', put: true, convert: str(255) },
  subnet_id: { post: 'required', put: false, convert: uuid },
  address: { post: 'optional', put: false, convert: (v) => (v === null ? null : ip(v)) },
  port_id: readOnly,
  protocol_port: { post: 'required', put: false, convert: inRange(0, 65535) },
  protocol: { post: 'required', put: false, convert: oneOf(V1_PROTOCOLS) },
  pool_id: { post: 'required', put: true, convert: uuid },
  session_persistence: { post: 'optional', put: true, convert: sessionPersistence },
  connection_limit: { post: 'optional', put: true, convert: int },
};

export const V1_MONITOR_ATTRIBUTES: AttributeMap = {
  ...common,
  type: { post: 'required', put: false, convert: oneOf(V1_MONITOR_TYPES) },
  delay: { post: 'required', put: true, convert: nonNegative },
  timeout: { post: 'required', put: true, convert: nonNegative },
  max_retries: { post: 'required', put: true, convert: inRange(1, 10) },
  http_method: { post: 'optional', put: true, convert: str(16) },
  url_path: { post: 'optional', put: true, convert: str(255) },
  expected_codes: { post: 'optional', put: true, convert: expectedCodes },
  pools: readOnly,
};
