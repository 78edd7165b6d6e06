// Request bodies for pools, as Octavia's WSME types declare them (PoolPOST/PUT, SessionPersistencePOST/PUT,
// reference §5, §5.1), and the one place a model Violation becomes its Octavia fault (§1.5).
import { fail, type SluiceError } from '../../../errors.ts';
import { ALPN_PROTOCOLS, LbAlgorithm, SessionPersistenceType } from '../../../model/pool.ts';
import type { Violation } from '../../../model/pool-validation.ts';
import { PoolProtocol } from '../../../model/protocols.ts';
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';
import { pyStr } from '../../wire/py-str.ts';
import { HEALTH_MONITOR_SINGLE_CREATE } from '../health-monitors/schema.ts';
import { MEMBER_SINGLE_CREATE } from '../members/schema.ts';

const SP_TYPES = Object.values(SessionPersistenceType);

const SESSION_PERSISTENCE_FIELDS = {
  cookie_name: field(t.string(255)),
  persistence_timeout: field(t.int()),
  persistence_granularity: field(t.ip()),
};
export const SESSION_PERSISTENCE_POST: ObjectFields = {
  type: required(t.enum(SP_TYPES)),
  ...SESSION_PERSISTENCE_FIELDS,
};
export const SESSION_PERSISTENCE_PUT: ObjectFields = {
  type: field(t.enum(SP_TYPES)),
  ...SESSION_PERSISTENCE_FIELDS,
};

const TLS_FIELDS: ObjectFields = {
  tls_container_ref: field(t.string()),
  ca_tls_container_ref: field(t.string()),
  crl_container_ref: field(t.string()),
  tls_enabled: field(t.bool()),
  tls_ciphers: field(t.string(2048)),
  tls_versions: field(t.list(t.string(32))),
  alpn_protocols: field(t.list(t.enum(ALPN_PROTOCOLS))),
};

export const POOL_POST: ObjectFields = {
  name: field(t.string()),
  description: field(t.string()),
  admin_state_up: field(t.bool()),
  listener_id: field(t.uuid()),
  loadbalancer_id: field(t.uuid()),
  protocol: required(t.enum(Object.values(PoolProtocol))),
  lb_algorithm: required(t.enum(Object.values(LbAlgorithm))),
  session_persistence: field(t.object(SESSION_PERSISTENCE_POST)),
  project_id: field(t.string(36)),
  tenant_id: field(t.string(36)),
  // Graph-only inputs: accepted by the schema, applied only by a fully populated LB create (reference §3.3).
  healthmonitor: field(t.json()),
  members: field(t.list(t.json())),
  tags: field(t.list(t.string())),
  ...TLS_FIELDS,
};

/**
 * A pool of a fully populated LB create (PoolSingleCreate, reference §3.3): no parent ids or project, and
 * protocol / lb_algorithm optional so a name-only object can reference another pool; with inline monitor
 * and members.
 */
export const POOL_SINGLE_CREATE: ObjectFields = {
  ...Object.fromEntries(
    Object.entries(POOL_POST).filter(
      ([name]) => !['loadbalancer_id', 'listener_id', 'project_id', 'tenant_id'].includes(name),
    ),
  ),
  protocol: field(t.enum(Object.values(PoolProtocol))),
  lb_algorithm: field(t.enum(Object.values(LbAlgorithm))),
  healthmonitor: field(t.object(HEALTH_MONITOR_SINGLE_CREATE)),
  members: field(t.list(t.object(MEMBER_SINGLE_CREATE))),
};

export const POOL_PUT: ObjectFields = {
  name: field(t.string()),
  description: field(t.string()),
  admin_state_up: field(t.bool()),
  lb_algorithm: field(t.enum(Object.values(LbAlgorithm))),
  session_persistence: field(t.object(SESSION_PERSISTENCE_PUT)),
  tags: field(t.list(t.string())),
  ...TLS_FIELDS,
};

export const POOL_POST_ENVELOPE: ObjectFields = { pool: required(t.create(POOL_POST)) };
export const POOL_PUT_ENVELOPE: ObjectFields = { pool: required(t.object(POOL_PUT)) };

/** The fault for a model Violation (validation, invalid option, or a WSME-style invalid input). */
export function refusal(violation: Violation): SluiceError {
  switch (violation.kind) {
    case 'validation':
      return fail('octavia.validation', { detail: violation.detail });
    case 'invalid-option':
      return fail('octavia.invalid-option', { value: violation.value, option: violation.option });
    case 'invalid-input':
      return fail('request.invalid-input', {
        field: violation.field,
        value: `'${pyStr(violation.value)}'`,
        reason: violation.reason,
      });
  }
}

/** Throws the fault of the first violation found, if any. */
export function refuseIf(violation: Violation | undefined): void {
  if (violation) throw refusal(violation);
}
