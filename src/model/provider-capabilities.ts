// What a provider accepts in flavor and availability-zone profiles (reference §10.2–10.4), and the check of
// profile data against it. The messages are the ones Octavia's amphora driver produces with jsonschema
// (`additionalProperties: false`), which its API returns as ProviderUnsupportedOptionError.

/** One metadata key a provider understands; `type`/`enum` are its JSON-schema constraints. */
export type ProviderCapability = Readonly<{
  name: string;
  description: string;
  type: 'string' | 'array' | 'boolean';
  enum?: readonly string[];
  /** accepted for compatibility but without effect in Sluice (docs/providers.md); noted once in the log */
  ignored?: boolean;
  /** a value of the right type that Sluice cannot honour, refused with `reason` */
  unsupported?: Readonly<{ value: boolean | string; reason: string }>;
}>;

/**
 * Checks decoded profile data against a provider's capabilities. Returns the user-facing reason the
 * provider refuses it (jsonschema's best match: the object type first, then unknown keys, then the first
 * offending key in capability order), or undefined when it is acceptable.
 */
export function checkProviderData(
  capabilities: readonly ProviderCapability[],
  data: unknown,
): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return `${pyRepr(data)} is not of type 'object'`;
  }
  const record = data as Record<string, unknown>;
  const extras = Object.keys(record).filter((key) => !capabilities.some((c) => c.name === key));
  if (extras.length > 0) {
    const verb = extras.length === 1 ? 'was' : 'were';
    return `Additional properties are not allowed (${extras.map(pyRepr).join(', ')} ${verb} unexpected)`;
  }
  for (const capability of capabilities) {
    if (!Object.hasOwn(record, capability.name)) continue;
    const value = record[capability.name];
    if (!hasJsonType(value, capability.type)) {
      return `${capability.name} ${pyRepr(value)} is not of type '${capability.type}'`;
    }
    if (capability.enum && !capability.enum.includes(value as string)) {
      return `${capability.name} ${pyRepr(value)} is not one of [${capability.enum.map(pyRepr).join(', ')}]`;
    }
    if (capability.unsupported && value === capability.unsupported.value) {
      return `${capability.name} ${pyRepr(value)} is not supported: ${capability.unsupported.reason}`;
    }
  }
  return undefined;
}

function hasJsonType(value: unknown, type: ProviderCapability['type']): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

/** Python's repr() of a decoded JSON value: jsonschema embeds values that way. */
function pyRepr(value: unknown): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

/** The amphora driver's topology flavor capability (reference §10.2), which every Sluice provider accepts. */
export const TOPOLOGY_CAPABILITY: ProviderCapability = {
  name: 'loadbalancer_topology',
  description:
    'The load balancer topology. One of: SINGLE - One amphora per load balancer. ' +
    'ACTIVE_STANDBY - Two amphora per load balancer.',
  type: 'string',
  enum: ['ACTIVE_STANDBY', 'SINGLE'],
};
