// Builds the DesiredLoadBalancer document a provider applies from what the store holds.
import type { DesiredLoadBalancer } from '../model/desired-state.js';
import type { LoadBalancer } from '../model/load-balancer.js';

export function buildDesiredState(lb: LoadBalancer): DesiredLoadBalancer {
  return {
    id: lb.id,
    revision: lb.revision,
    adminStateUp: lb.adminStateUp,
    topology: 'SINGLE',
    vip: {
      address: lb.vip.address,
      networkId: lb.vip.networkId,
      subnetId: lb.vip.subnetId,
      portId: lb.vip.portId,
    },
    listeners: [],
  };
}
