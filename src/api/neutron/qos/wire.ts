// QoS policies → Neutron wire objects (neutron-lib api/definitions/qos.py, qos_default.py, and the standard
// attributes): `rules` is always empty, since Sluice enforces no QoS rule type (see routes.ts).
import type { QosPolicy } from '../../../model/qos-policy.ts';
import { neutronTime, type WireObject } from '../neutron-wire.ts';

export function qosPolicyToWire(policy: QosPolicy): WireObject {
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description,
    shared: policy.shared,
    is_default: policy.isDefault,
    tenant_id: policy.projectId,
    project_id: policy.projectId,
    rules: [],
    revision_number: policy.revisionNumber,
    created_at: neutronTime(policy.createdAt),
    updated_at: neutronTime(policy.updatedAt),
  };
}
