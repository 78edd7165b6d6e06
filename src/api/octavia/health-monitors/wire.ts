// Wire mapping for health monitors (reference §7): domain → Octavia's snake_case response (`pools: [{id}]`,
// max_retries for DB rise_threshold), and parsed request bodies → a new monitor, its checked input, a PUT's
// changes (null resets http_method, url_path, expected_codes and max_retries_down to their defaults).
import {
  DEFAULT_MAX_RETRIES_DOWN,
  type HealthMonitor,
  type HealthMonitorChanges,
  type HealthMonitorInput,
  HTTP_DEFAULTS,
  type NewHealthMonitor,
  withHttpDefaults,
} from '../../../model/health-monitor.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { firstRefId, modelFields } from '../filter-fields.ts';
import { commonWire, idRefs } from '../octavia-wire.ts';
import { COMMON_COLUMNS, type SqlColumns, sqlText } from '../sql-page-spec.ts';

type Body = Record<string, unknown>;

export function healthMonitorToWire(hm: HealthMonitor): WireObject {
  return {
    ...commonWire(hm),
    type: hm.type,
    delay: hm.delay,
    timeout: hm.timeout,
    max_retries: hm.maxRetries,
    max_retries_down: hm.maxRetriesDown,
    http_method: hm.httpMethod,
    url_path: hm.urlPath,
    expected_codes: hm.expectedCodes,
    http_version: hm.httpVersion,
    domain_name: hm.domainName,
    pools: idRefs([hm.poolId]),
  };
}

/** Attributes a monitor list may filter or sort on: the scalar wire fields. */
export const HEALTH_MONITOR_ATTRIBUTES = [
  'id',
  'name',
  'provisioning_status',
  'operating_status',
  'admin_state_up',
  'project_id',
  'tenant_id',
  'type',
  'delay',
  'timeout',
  'max_retries',
  'max_retries_down',
  'http_method',
  'url_path',
  'expected_codes',
  'http_version',
  'domain_name',
  'created_at',
  'updated_at',
] as const;

/** The fields the semantic checks look at, as the body carries them (absent stays undefined). */
export function healthMonitorInput(body: Body): HealthMonitorInput {
  return {
    type: body.type as string | null | undefined,
    delay: body.delay as number | null | undefined,
    timeout: body.timeout as number | null | undefined,
    maxRetries: body.max_retries as number | null | undefined,
    httpMethod: body.http_method as string | null | undefined,
    urlPath: body.url_path as string | null | undefined,
    expectedCodes: body.expected_codes as string | null | undefined,
    httpVersion: body.http_version as number | null | undefined,
    domainName: body.domain_name as string | null | undefined,
  };
}

/** The monitor a validated POST body describes: PENDING_CREATE/OFFLINE, HTTP defaults applied (§7). */
export function newHealthMonitorFromBody(
  body: Body,
  ids: Readonly<{ id: string; projectId: string; loadBalancerId: string; poolId: string }>,
): NewHealthMonitor {
  const input = withHttpDefaults(healthMonitorInput(body));
  return {
    ...ids,
    name: (body.name as string | null | undefined) ?? null,
    adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
    provisioningStatus: 'PENDING_CREATE',
    operatingStatus: 'OFFLINE',
    type: input.type as string,
    delay: input.delay as number,
    timeout: input.timeout as number,
    maxRetries: input.maxRetries as number,
    maxRetriesDown: (body.max_retries_down as number | null | undefined) ?? DEFAULT_MAX_RETRIES_DOWN,
    httpMethod: input.httpMethod ?? null,
    urlPath: input.urlPath ?? null,
    expectedCodes: input.expectedCodes ?? null,
    httpVersion: input.httpVersion ?? null,
    domainName: input.domainName ?? null,
    tags: (body.tags as string[] | null | undefined) ?? [],
  };
}

/** A PUT's changes (after checkHealthMonitorUpdate, so delay/timeout/max_retries are never null here). */
export function healthMonitorChangesFromBody(body: Body): HealthMonitorChanges {
  const has = (key: string) => key in body;
  const num = (key: string) => body[key] as number;
  const text = (key: string) => body[key] as string | null;
  return {
    ...(has('name') && { name: text('name') }),
    ...(has('admin_state_up') && { adminStateUp: body.admin_state_up === true }),
    ...(has('delay') && { delay: num('delay') }),
    ...(has('timeout') && { timeout: num('timeout') }),
    ...(has('max_retries') && { maxRetries: num('max_retries') }),
    ...(has('max_retries_down') && {
      maxRetriesDown: (body.max_retries_down as number | null) ?? DEFAULT_MAX_RETRIES_DOWN,
    }),
    ...(has('http_method') && { httpMethod: text('http_method') ?? HTTP_DEFAULTS.httpMethod }),
    ...(has('url_path') && { urlPath: text('url_path') ?? HTTP_DEFAULTS.urlPath }),
    ...(has('expected_codes') && { expectedCodes: text('expected_codes') ?? HTTP_DEFAULTS.expectedCodes }),
    ...(has('http_version') && { httpVersion: body.http_version as number | null }),
    ...(has('domain_name') && { domainName: text('domain_name') }),
    ...(has('tags') && { tags: (body.tags as string[] | null) ?? [] }),
  };
}

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const HEALTH_MONITOR_FILTERS: Readonly<Record<string, FilterField>> = {
  ...modelFields(HEALTH_MONITOR_ATTRIBUTES),
  rise_threshold: 'max_retries',
  fall_threshold: 'max_retries_down',
  pool_id: firstRefId('pools'),
};

/** The wire keys a list page reads straight from a column (sql-page-spec.ts); `http_version` (a float) has none. */
export const HEALTH_MONITOR_COLUMNS: SqlColumns = {
  ...COMMON_COLUMNS,
  type: sqlText('type'),
  delay: { column: 'delay', kind: 'int' },
  timeout: { column: 'timeout', kind: 'int' },
  max_retries: { column: 'max_retries', kind: 'int' },
  rise_threshold: { column: 'max_retries', kind: 'int' },
  max_retries_down: { column: 'max_retries_down', kind: 'int' },
  fall_threshold: { column: 'max_retries_down', kind: 'int' },
  http_method: sqlText('http_method', { nullable: true }),
  url_path: sqlText('url_path', { nullable: true }),
  expected_codes: sqlText('expected_codes', { nullable: true }),
  domain_name: sqlText('domain_name', { nullable: true }),
  pool_id: sqlText('pool_id'),
};
