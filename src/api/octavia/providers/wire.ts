// Wire mapping for providers and their capabilities (reference §10.2): both are `{name, description}`;
// a capability's JSON-schema constraints stay internal.
import type { ProviderCapability } from '../../../model/provider-capabilities.ts';
import type { ProviderInfo } from '../../../model/provider-driver.ts';
import type { WireObject } from '../../wire/listing.ts';

export const providerToWire = (provider: ProviderInfo): WireObject => ({
  name: provider.name,
  description: provider.description,
});

export const capabilityToWire = (capability: ProviderCapability): WireObject => ({
  name: capability.name,
  description: capability.description,
});
