// The provider (data-plane driver) contract, in the model so that the controller and agent depend on the
// interface while bin/ wires the implementations (providers never import store/ or api/).
import type { DesiredLoadBalancer } from './desired-state.js';
import type { ProviderCapability } from './provider-capabilities.js';

export type ProviderInfo = Readonly<{
  name: string;
  description: string;
  /** flavor profile keys it accepts; absent = it does not support flavors (501, reference §10.2) */
  flavorCapabilities?: readonly ProviderCapability[];
  /** availability zone profile keys it accepts; absent = it does not support availability zones */
  availabilityZoneCapabilities?: readonly ProviderCapability[];
}>;

export interface ProviderDriver {
  readonly info: ProviderInfo;
  /** Makes the data plane serve exactly `desired`; resolves when it does, rejects with a user-facing reason. */
  apply(desired: DesiredLoadBalancer): Promise<void>;
  /** Tears down everything the provider holds for the load balancer; idempotent. */
  remove(loadBalancerId: string): Promise<void>;
}
