// Wire conventions every Octavia resource shares (reference §1.3): zone-less second-precision timestamps,
// NULL names as "", tenant_id mirroring project_id, child references as [{id}].

/** `2017-05-10T18:14:44`: Octavia's timestamps carry no zone and no fraction. */
export const wireTime = (iso: string | null): string | null => (iso ? iso.slice(0, 19) : null);

export const idRefs = (ids: readonly string[]): { id: string }[] => ids.map((id) => ({ id }));

export type CommonFields = Readonly<{
  id: string;
  projectId: string;
  name: string | null;
  adminStateUp: boolean;
  provisioningStatus: string;
  operatingStatus: string;
  tags: readonly string[];
  createdAt: string;
  updatedAt: string | null;
}>;

/** The fields every load-balancer child renders the same way. */
export function commonWire(o: CommonFields): Record<string, unknown> {
  return {
    id: o.id,
    name: o.name ?? '',
    project_id: o.projectId,
    tenant_id: o.projectId,
    provisioning_status: o.provisioningStatus,
    operating_status: o.operatingStatus,
    admin_state_up: o.adminStateUp,
    tags: [...o.tags],
    created_at: wireTime(o.createdAt),
    updated_at: wireTime(o.updatedAt),
  };
}
