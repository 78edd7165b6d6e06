// What the API asks of a provider about flavor and availability zone metadata (reference §10.2–10.4): that
// it is enabled (400 ProviderNotEnabled), that it supports the feature (501 ProviderNotImplementedError)
// and that it accepts the profile data (400 InvalidOption for bad JSON, 501 ProviderUnsupportedOptionError).
import { fail } from '../../errors.ts';
import { checkProviderData, type ProviderCapability } from '../../model/provider-capabilities.ts';
import type { ProviderInfo } from '../../model/provider-driver.ts';
import type { ApiContext } from '../context.ts';

export type MetadataKind = 'flavor' | 'availability_zone';

/** octavia-lib's user fault strings when a driver lacks a metadata feature (provider_base.py). */
const NOT_SUPPORTED: Readonly<Record<MetadataKind, { list: string; validate: string }>> = {
  flavor: {
    list: 'This provider does not support getting the supported flavor metadata.',
    validate: 'This provider does not support validating flavors.',
  },
  availability_zone: {
    list: 'This provider does not support getting the supported availability zone metadata.',
    validate: 'This provider does not support validating the availability zone.',
  },
};

/** The enabled provider called `name`, or 400 `Provider '<name>' is not enabled.` (driver_factory). */
export function enabledProvider(context: ApiContext, name: string): ProviderInfo {
  const provider: ProviderInfo | undefined = context.providers.find((p) => p.name === name);
  if (!provider) throw fail('octavia.provider-not-enabled', { provider: name });
  return provider;
}

/** The metadata keys the provider supports, or 501 when it has no such feature. */
export function capabilitiesOf(
  provider: ProviderInfo,
  kind: MetadataKind,
  use: 'list' | 'validate',
): readonly ProviderCapability[] {
  const capabilities =
    kind === 'flavor' ? provider.flavorCapabilities : provider.availabilityZoneCapabilities;
  if (!capabilities) {
    throw fail('octavia.provider-not-implemented', {
      provider: provider.name,
      message: NOT_SUPPORTED[kind][use],
    });
  }
  return capabilities;
}

/**
 * Decodes profile data text, then has the provider validate it. `option` names the field in the 400
 * InvalidOption fault (`<text> is not a valid option for <option>`).
 */
export function validateProfileData(
  context: ApiContext,
  providerName: string,
  kind: MetadataKind,
  text: string,
  option: string,
): void {
  const data = decodeProfileData(text, option);
  const provider = enabledProvider(context, providerName);
  const reason = checkProviderData(capabilitiesOf(provider, kind, 'validate'), data);
  if (reason !== undefined) {
    throw fail('octavia.provider-unsupported', { provider: provider.name, message: reason });
  }
}

/** JSON text → value, or 400 InvalidOption, checked before the provider is even looked up (as Octavia). */
export function decodeProfileData(text: string, option: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw fail('octavia.invalid-option', { value: text, option });
  }
}
