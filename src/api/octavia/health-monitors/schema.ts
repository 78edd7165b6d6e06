// Request bodies for health monitors, as Octavia's WSME types declare them (HealthMonitorPOST/PUT, reference
// §7), plus the two WSME user types the walker cannot express: URLPathType and the float enum http_version.
import {
  HTTP_METHODS,
  HTTP_VERSIONS,
  isValidUrlPath,
  MAX_RETRIES,
  MIN_RETRIES,
} from '../../../model/health-monitor.ts';
import type { Violation } from '../../../model/pool-validation.ts';
import { HealthMonitorType } from '../../../model/protocols.ts';
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';

/** constants.DOMAIN_NAME_REGEX */
const DOMAIN_NAME = /^(?=.{1,253}\.?$)(?:(?!-|[^.]+_)[A-Za-z0-9-_]{1,63}(?<!-)(?:\.|$))+$/;
/** A list of 3-digit codes, or one range (reference §7). */
const EXPECTED_CODES = /^(\d{3}(\s*,\s*\d{3})*)$|^(\d{3}-\d{3})$/;
const UNBOUNDED = Number.POSITIVE_INFINITY;
const RETRIES = t.int(MIN_RETRIES, MAX_RETRIES);

const MUTABLE: ObjectFields = {
  name: field(t.string()),
  max_retries_down: field(RETRIES),
  http_method: field(t.enum(HTTP_METHODS)),
  url_path: field(t.string(UNBOUNDED)),
  expected_codes: field(t.string(UNBOUNDED, undefined, EXPECTED_CODES)),
  admin_state_up: field(t.bool()),
  tags: field(t.list(t.string())),
  http_version: field(t.json()),
  domain_name: field(t.string(255, 1, DOMAIN_NAME)),
};

export const HEALTH_MONITOR_POST: ObjectFields = {
  ...MUTABLE,
  type: required(t.enum(Object.values(HealthMonitorType))),
  delay: required(t.int(0)),
  timeout: required(t.int(0)),
  max_retries: required(RETRIES),
  project_id: field(t.string(36)),
  tenant_id: field(t.string(36)),
  pool_id: required(t.uuid()),
};

/** The monitor inside a fully populated LB create's pool (HealthMonitorSingleCreate: no pool or project, §3.3). */
export const HEALTH_MONITOR_SINGLE_CREATE: ObjectFields = Object.fromEntries(
  Object.entries(HEALTH_MONITOR_POST).filter(
    ([name]) => !['pool_id', 'project_id', 'tenant_id'].includes(name),
  ),
);

export const HEALTH_MONITOR_PUT: ObjectFields = {
  ...MUTABLE,
  delay: field(t.int(0)),
  timeout: field(t.int(0)),
  max_retries: field(RETRIES),
};

export const HEALTH_MONITOR_POST_ENVELOPE: ObjectFields = {
  healthmonitor: required(t.create(HEALTH_MONITOR_POST)),
};
export const HEALTH_MONITOR_PUT_ENVELOPE: ObjectFields = {
  healthmonitor: required(t.object(HEALTH_MONITOR_PUT)),
};

/**
 * The WSME checks of url_path (URLPathType) and http_version (`Enum(float, 1.0, 1.1)`); normalizes
 * http_version to a number in `body`. Returns the InvalidInput violation, if any.
 */
export function checkHealthMonitorBody(body: Record<string, unknown>): Violation | undefined {
  const path = body.url_path;
  if (typeof path === 'string' && !isValidUrlPath(path)) {
    return {
      kind: 'invalid-input',
      field: 'url_path',
      value: path,
      reason: 'Value must be a valid URL Path string',
    };
  }
  const version = body.http_version;
  if (version === null || version === undefined) return undefined;
  const number =
    typeof version === 'number' ? version : typeof version === 'string' ? Number(version) : Number.NaN;
  if (!(HTTP_VERSIONS as readonly number[]).includes(number)) {
    const shown = Number.isInteger(number) ? `${number}.0` : Number.isNaN(number) ? version : String(number);
    return {
      kind: 'invalid-input',
      field: 'http_version',
      value: shown,
      reason: 'Value should be one of: 1.0, 1.1',
    };
  }
  body.http_version = number;
  return undefined;
}
