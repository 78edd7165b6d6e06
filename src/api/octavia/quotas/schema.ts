// Request body of PUT /quotas/{project_id}, as Octavia's WSME type QuotaPUT declares it (reference §10.1):
// every limit optional, an integer from -1 (unlimited) to 2000000000, null meaning "the default".
import { QUOTA_MAX, QUOTA_MIN } from '../../../model/quotas.ts';
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';

const limit = () => field(t.int(QUOTA_MIN, QUOTA_MAX));

export const QUOTA_PUT: ObjectFields = {
  loadbalancer: limit(),
  load_balancer: limit(),
  listener: limit(),
  member: limit(),
  pool: limit(),
  healthmonitor: limit(),
  health_monitor: limit(),
  l7policy: limit(),
  l7rule: limit(),
};

export const QUOTA_PUT_ENVELOPE: ObjectFields = { quota: required(t.object(QUOTA_PUT)) };
