// What the API asks of a provider about flavor and availability zone metadata (reference §10.2–10.4): that
// it is enabled (400 ProviderNotEnabled), that it supports the feature (501 ProviderNotImplementedError)
// and that it accepts the profile data (400 InvalidOption for bad JSON, 501 ProviderUnsupportedOptionError).
// Keys accepted only for compatibility (the amphora aliases' Nova/Glance keys) are noted once in the log.
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

/** Where the note about an ignored key goes (a pino/Fastify logger). */
export type NoteLog = { warn(object: object, message: string): void };

/** Per API instance, the `provider/key` pairs already noted, so each is logged once. */
const noted = new WeakMap<ApiContext, Set<string>>();

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
  log?: NoteLog,
): void {
  const data = decodeProfileData(text, option);
  const provider = enabledProvider(context, providerName);
  const capabilities = capabilitiesOf(provider, kind, 'validate');
  // Octavia's noop driver records whatever it is given (noop_driver/driver.py validate_flavor).
  const isObject = data !== null && typeof data === 'object' && !Array.isArray(data);
  if (provider.acceptsAnyMetadata && isObject) return;
  const reason = checkProviderData(capabilities, data);
  if (reason !== undefined) {
    throw fail('octavia.provider-unsupported', { provider: provider.name, message: reason });
  }
  if (log) noteIgnoredKeys(context, provider.name, capabilities, data as Record<string, unknown>, log);
}

function noteIgnoredKeys(
  context: ApiContext,
  provider: string,
  capabilities: readonly ProviderCapability[],
  data: Record<string, unknown>,
  log: NoteLog,
): void {
  const seen = noted.get(context) ?? new Set<string>();
  noted.set(context, seen);
  for (const capability of capabilities) {
    const key = `${provider}/${capability.name}`;
    if (!capability.ignored || !Object.hasOwn(data, capability.name) || seen.has(key)) continue;
    seen.add(key);
    log.warn(
      { provider, key: capability.name },
      `profile key '${capability.name}' of provider '${provider}' is accepted for compatibility and has no effect in Sluice (docs/providers.md)`,
    );
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
