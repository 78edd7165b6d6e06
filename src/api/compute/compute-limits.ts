// Nova's `GET /limits` and `os-simple-tenant-usage` answers for a compute service that runs no servers:
// every absolute limit and every usage is 0 (nothing can be created through it, nothing ever ran), and the
// limits a microversion dropped are left out as Nova leaves them out. Shapes: nova/api/openstack/compute/
// limits.py and views/limits.py, simple_tenant_usage.py (https://opendev.org/openstack/nova).
import { SluiceError } from '../../errors.ts';

/** Nova's absolute-limit names, each with the quota it reports and the microversion that dropped it. */
const ABSOLUTE: readonly (readonly [name: string, droppedAt?: readonly [number, number]])[] = [
  ['maxTotalRAMSize'],
  ['maxTotalInstances'],
  ['maxTotalCores'],
  ['maxTotalKeypairs'],
  ['maxServerMeta'],
  ['maxServerGroups'],
  ['maxServerGroupMembers'],
  // 2.36 dropped the network proxies (FILTERED_LIMITS_2_36), 2.39 maxImageMeta (the image proxy), 2.57
  // personality files (FILTERED_LIMITS_2_57): https://docs.openstack.org/nova/latest/reference/api-microversion-history.html
  ['maxTotalFloatingIps', [2, 36]],
  ['maxSecurityGroups', [2, 36]],
  ['maxSecurityGroupRules', [2, 36]],
  ['maxImageMeta', [2, 39]],
  ['maxPersonality', [2, 57]],
  ['maxPersonalitySize', [2, 57]],
  ['totalRAMUsed'],
  ['totalCoresUsed'],
  ['totalInstancesUsed'],
  ['totalServerGroupsUsed'],
  ['totalFloatingIpsUsed', [2, 36]],
  ['totalSecurityGroupsUsed', [2, 36]],
];

const atLeast = (version: string, [major, minor]: readonly [number, number]): boolean => {
  const [m, n] = version.split('.').map(Number);
  return m > major || (m === major && n >= minor);
};

/** `GET /limits` at `microversion` (already negotiated): no rate limits, every absolute one 0. */
export function computeLimits(microversion: string) {
  const absolute: Record<string, number> = {};
  for (const [name, droppedAt] of ABSOLUTE) {
    if (!droppedAt || !atLeast(microversion, droppedAt)) absolute[name] = 0;
  }
  return { limits: { rate: [], absolute } };
}

// simple_tenant_usage.py _parse_datetime: the three strptime formats Nova tries, no zone.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/;

function parseDatetime(text: string | undefined, now: Date): Date {
  if (text === undefined || text === '') return now;
  const match = DATETIME.exec(text);
  // "%Y-%m-%d %H:%M:%S" without a fraction is not among Nova's formats.
  const value = match && (match[0][10] === 'T' || match[7]) ? new Date(`${text.replace(' ', 'T')}Z`) : null;
  if (!value || Number.isNaN(value.getTime())) {
    throw new SluiceError('compute.bad-request', {
      detail: 'Invalid datetime string: Datetime is in invalid format',
    });
  }
  return value;
}

/**
 * Checks an `os-simple-tenant-usage` period as Nova does (_get_datetime_range): each end parses, and the
 * start comes strictly before the end. Sluice ran no servers in any period, so the answer is always empty.
 */
export function checkUsagePeriod(query: Readonly<{ start?: string; end?: string }>, now = new Date()): void {
  const start = parseDatetime(query.start, now);
  const end = parseDatetime(query.end, now);
  if (!(start < end)) {
    throw new SluiceError('compute.bad-request', {
      detail: 'Invalid start time. The start time cannot occur after the end time.',
    });
  }
}
