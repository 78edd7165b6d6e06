// Neutron QoS policies (domain type, extensions `qos` and `qos-default`): a project's named policy that a
// load balancer's VIP may name. Sluice enforces no QoS rule type, so a policy never carries rules.
// https://docs.openstack.org/api-ref/network/v2/#qos-policies-qos

export type QosPolicy = Readonly<{
  id: string;
  projectId: string;
  name: string;
  description: string;
  shared: boolean;
  /** the project's default policy (qos-default); at most one per project */
  isDefault: boolean;
  revisionNumber: number;
  createdAt: string;
  updatedAt: string;
}>;
