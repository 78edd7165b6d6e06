// DesiredLoadBalancer: the plain, fully resolved document a provider applies (architecture §2). It carries
// everything a data plane needs and nothing it must look up. Grows with listeners/pools in later issues.

export type DesiredLoadBalancer = Readonly<{
  id: string;
  /** monotonically increasing; a provider reports which revision it applied */
  revision: number;
  adminStateUp: boolean;
  topology: 'SINGLE' | 'ACTIVE_STANDBY';
  vip: Readonly<{ address: string; networkId: string; subnetId: string; portId: string }>;
  listeners: readonly DesiredListener[];
}>;

export type DesiredListener = Readonly<{
  id: string;
  protocol: string;
  protocolPort: number;
  adminStateUp: boolean;
}>;
