// Turns the parsed options of `create`/`set` into Octavia body fields: integers checked, JSON parsed, switch
// pairs folded into booleans; name-or-id references stay as typed and are resolved by resolveFields.
import type { ApiClient } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { findResource, findSubnetId } from './find-resource.ts';
import { KINDS, type Kind, type OptionSpec } from './resource-kinds.ts';

/** commander's attribute name for a flag: '--protocol-port <port>' → 'protocolPort'. */
export function attributeName(flag: string): string {
  return flag
    .split(' ')[0]
    .replace(/^--/, '')
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function convert(spec: OptionSpec, raw: string): unknown {
  if (spec.type === 'int') {
    if (!/^-?\d+$/.test(raw))
      throw new CliError(`${spec.flag.split(' ')[0]} expects an integer, got '${raw}'`);
    return Number(raw);
  }
  if (spec.type === 'json') {
    try {
      return JSON.parse(raw);
    } catch {
      throw new CliError(`${spec.flag.split(' ')[0]} expects JSON, got '${raw}'`);
    }
  }
  return raw;
}

export function requestFields(
  kind: Kind,
  verb: 'create' | 'set',
  options: Record<string, unknown>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const spec of kind.options) {
    if (!spec.verbs.includes(verb)) continue;
    const raw = options[attributeName(spec.flag)];
    if (raw === undefined) continue;
    fields[spec.field] = convert(spec, String(raw));
  }
  for (const pair of kind.switches) {
    const on = options[attributeName(pair.on)];
    const off = options[attributeName(pair.off)];
    if (on === true && off === true) throw new CliError(`${pair.on} and ${pair.off} exclude each other`);
    // commander folds a '--no-x' switch into x=false.
    if (on === true) fields[pair.field] = true;
    else if (off === true || on === false) fields[pair.field] = false;
  }
  return fields;
}

/** Replaces name-or-id references (pools, listeners, load balancers, subnets) by ids. */
export async function resolveFields(api: ApiClient, kind: Kind, fields: Record<string, unknown>) {
  const resolved = { ...fields };
  for (const spec of kind.options) {
    const value = resolved[spec.field];
    if (typeof value !== 'string') continue;
    if (spec.type === 'subnet') resolved[spec.field] = await findSubnetId(api, value);
    else if (typeof spec.type === 'object') {
      resolved[spec.field] = (await findResource(api, KINDS[spec.type.ref], value)).id;
    }
  }
  return resolved;
}
