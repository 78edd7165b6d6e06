// The stack document's vocabulary: per kind, the fields a stack file may state, their defaults (the values
// Octavia fills in when a field is left out: https://docs.openstack.org/api-ref/load-balancer/v2/), which
// cannot change in place, and which name another object of the stack. Normalising drops what equals its default.
import type { KindName } from './resource-kinds.ts';

export type StackObject = Record<string, unknown>;
export type StackKind = KindName;

export type FieldSpec = {
  field: string;
  /** the API's name for it when it differs (references become …_id) */
  api?: string;
  /** the value Octavia stores when the field is left out; no default = only managed when stated */
  default?: (object: StackObject) => unknown;
  immutable?: boolean;
  required?: boolean;
  /** names a pool of the stack, or a Neutron subnet (name or id) */
  ref?: 'pool' | 'subnet';
};

const fixed = (value: unknown) => () => value;
const httpOnly = (value: unknown) => (o: StackObject) =>
  o.type === 'HTTP' || o.type === 'HTTPS' ? value : null;

export const STACK_FIELDS: Record<StackKind, readonly FieldSpec[]> = {
  loadbalancer: [
    { field: 'name', required: true },
    { field: 'description', default: fixed(null) },
    { field: 'vip_subnet', api: 'vip_subnet_id', ref: 'subnet', immutable: true, required: true },
    { field: 'admin_state_up', default: fixed(true) },
  ],
  listener: [
    { field: 'name', required: true },
    { field: 'description', default: fixed(null) },
    { field: 'protocol', immutable: true, required: true },
    { field: 'protocol_port', immutable: true, required: true },
    { field: 'default_pool', api: 'default_pool_id', ref: 'pool', default: fixed(null) },
    { field: 'connection_limit', default: fixed(-1) },
    { field: 'timeout_client_data', default: fixed(50000) },
    { field: 'timeout_member_connect', default: fixed(5000) },
    { field: 'timeout_member_data', default: fixed(50000) },
    { field: 'timeout_tcp_inspect', default: fixed(0) },
    { field: 'insert_headers', default: fixed({}) },
    { field: 'admin_state_up', default: fixed(true) },
  ],
  pool: [
    { field: 'name', required: true },
    { field: 'description', default: fixed(null) },
    { field: 'protocol', immutable: true, required: true },
    { field: 'lb_algorithm', required: true },
    { field: 'session_persistence', default: fixed(null) },
    { field: 'admin_state_up', default: fixed(true) },
  ],
  member: [
    { field: 'name', default: fixed(null) },
    { field: 'address', immutable: true, required: true },
    { field: 'protocol_port', immutable: true, required: true },
    { field: 'weight', default: fixed(1) },
    { field: 'backup', default: fixed(false) },
    { field: 'monitor_address', default: fixed(null) },
    { field: 'monitor_port', default: fixed(null) },
    { field: 'admin_state_up', default: fixed(true) },
  ],
  healthmonitor: [
    { field: 'name', default: fixed(null) },
    { field: 'type', immutable: true, required: true },
    { field: 'delay', required: true },
    { field: 'timeout', required: true },
    { field: 'max_retries', required: true },
    { field: 'max_retries_down', default: fixed(3) },
    { field: 'http_method', default: httpOnly('GET') },
    { field: 'url_path', default: httpOnly('/') },
    { field: 'expected_codes', default: httpOnly('200') },
    { field: 'admin_state_up', default: fixed(true) },
  ],
  l7policy: [
    { field: 'name', required: true },
    { field: 'description', default: fixed(null) },
    { field: 'action', required: true },
    { field: 'redirect_pool', api: 'redirect_pool_id', ref: 'pool', default: fixed(null) },
    { field: 'redirect_url', default: fixed(null) },
    { field: 'redirect_prefix', default: fixed(null) },
    // Octavia sets 302 when a URL or prefix is given without a code, and clears it otherwise.
    { field: 'redirect_http_code', default: (o) => (o.redirect_url || o.redirect_prefix ? 302 : null) },
    { field: 'admin_state_up', default: fixed(true) },
  ],
  l7rule: [
    { field: 'type', required: true },
    { field: 'compare_type', required: true },
    { field: 'key', default: fixed(null) },
    { field: 'value', required: true },
    { field: 'invert', default: fixed(false) },
    { field: 'admin_state_up', default: fixed(true) },
  ],
};

/** The child collections each kind carries in a stack, in document order. */
export const STACK_CHILDREN: Record<StackKind, readonly [string, StackKind, 'list' | 'one'][]> = {
  loadbalancer: [
    ['listeners', 'listener', 'list'],
    ['pools', 'pool', 'list'],
  ],
  listener: [['l7policies', 'l7policy', 'list']],
  pool: [
    ['members', 'member', 'list'],
    ['healthmonitor', 'healthmonitor', 'one'],
  ],
  member: [],
  healthmonitor: [],
  l7policy: [['rules', 'l7rule', 'list']],
  l7rule: [],
};

/** Octavia answers "" for an unset name or description, and null or {} for unset insert_headers: all "not set". */
export function blank(value: unknown): unknown {
  if (value === '' || value === undefined) return null;
  if (isMapping(value) && Object.values(value).every((v) => v === null)) return null;
  return value;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A mapping without its null entries (session_persistence answers cookie_name: null and so on). */
export function withoutNulls(value: unknown): unknown {
  if (!isMapping(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

/** Equality of two field values, blank-insensitive and deep for objects (insert_headers, session_persistence). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(blank(a)) === canonicalJson(blank(b));
}

function canonicalJson(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  return JSON.stringify(value ?? null);
}

/** The value a stack asks for: as stated, else the default; undefined when the stack leaves it unmanaged. */
export function desiredValue(spec: FieldSpec, object: StackObject): unknown {
  if (object[spec.field] !== undefined) return object[spec.field];
  return spec.default?.(object);
}
