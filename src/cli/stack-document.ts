// Reads, checks and writes the stack document (`sluice apply -f`, `sluice export`): one load balancer and
// everything under it, objects naming each other by name. Normal form: fields in a fixed order, defaults and
// blanks dropped, so export(apply(file)) equals the file's normal form.
import { parse, stringify } from 'yaml';
import { CliError } from './cli-error.ts';
import {
  blank,
  STACK_CHILDREN,
  STACK_FIELDS,
  type StackKind,
  type StackObject,
  sameValue,
  withoutNulls,
} from './stack-fields.ts';

export type Stack = { loadbalancer: StackObject };

function where(kind: StackKind, object: StackObject, path: string): string {
  const name = object.name ?? (kind === 'member' ? `${object.address}:${object.protocol_port}` : undefined);
  return `${path}${kind}${name !== undefined ? ` ${String(name)}` : ''}`;
}

/** Checks one object and its children: known fields only, required ones present, names unique. */
function check(kind: StackKind, object: unknown, path: string): StackObject {
  if (!object || typeof object !== 'object' || Array.isArray(object)) {
    throw new CliError(`${path}${kind}: expected a mapping`);
  }
  const o = object as StackObject;
  const label = where(kind, o, path);
  const children = STACK_CHILDREN[kind];
  const known = new Set([...STACK_FIELDS[kind].map((s) => s.field), ...children.map(([key]) => key)]);
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new CliError(`${label}: unknown field '${key}'`);
  }
  for (const spec of STACK_FIELDS[kind]) {
    if (spec.required && blank(o[spec.field]) === null) {
      throw new CliError(`${label}: '${spec.field}' is required`);
    }
  }
  const checked: StackObject = { ...o };
  for (const [key, childKind, arity] of children) {
    if (o[key] === undefined || o[key] === null) continue;
    if (arity === 'one') {
      checked[key] = check(childKind, o[key], `${label}: `);
      continue;
    }
    if (!Array.isArray(o[key])) throw new CliError(`${label}: '${key}' must be a list`);
    const list = (o[key] as unknown[]).map((child) => check(childKind, child, `${label}: `));
    const keys = list.map((child) => stackKey(childKind, child));
    const twice = keys.find((k, i) => k !== undefined && keys.indexOf(k) !== i);
    if (twice !== undefined) throw new CliError(`${label}: two ${childKind}s named ${twice}`);
    checked[key] = list;
  }
  return checked;
}

/**
 * What identifies an object among its siblings: its name, a member's address:port, a rule's whole match
 * (type, compare_type, key, value, invert). Octavia lists objects created in the same second in no
 * particular order, so identity never rests on list order (except policies, which have positions).
 */
export function stackKey(kind: StackKind, object: StackObject): string | undefined {
  if (kind === 'member') return `${object.address}:${object.protocol_port}`;
  if (kind === 'l7rule') {
    const key = blank(object.key) === null ? '' : ` ${String(object.key)}`;
    return `${object.invert ? 'NOT ' : ''}${object.type}${key} ${object.compare_type} ${JSON.stringify(object.value)}`;
  }
  if (kind === 'healthmonitor') return undefined;
  return String(object.name);
}

/** Normal-form order of a list: by key, except policies, whose order is their evaluation order. */
function sortedByKey(kind: StackKind, list: StackObject[]): StackObject[] {
  if (kind === 'l7policy') return list;
  const compare = (a: StackObject, b: StackObject) => {
    if (kind === 'member' && a.address === b.address)
      return Number(a.protocol_port) - Number(b.protocol_port);
    if (kind === 'member') return String(a.address).localeCompare(String(b.address), 'en', { numeric: true });
    return String(stackKey(kind, a)).localeCompare(String(stackKey(kind, b)));
  };
  return [...list].sort(compare);
}

export function parseStack(text: string, source = 'stack'): Stack {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new CliError(`${source}: ${(error as Error).message.split('\n')[0]}`);
  }
  const lb = (document as { loadbalancer?: unknown } | null)?.loadbalancer;
  if (!document || typeof document !== 'object' || Object.keys(document).join() !== 'loadbalancer') {
    throw new CliError(`${source}: expected one top-level key, 'loadbalancer'`);
  }
  const stack = { loadbalancer: check('loadbalancer', lb, '') };
  for (const listener of (stack.loadbalancer.listeners ?? []) as StackObject[]) {
    const pools = new Set(((stack.loadbalancer.pools ?? []) as StackObject[]).map((p) => p.name));
    const refs = [
      listener.default_pool,
      ...((listener.l7policies ?? []) as StackObject[]).map((p) => p.redirect_pool),
    ];
    for (const ref of refs) {
      if (blank(ref) !== null && !pools.has(ref)) {
        throw new CliError(`listener ${String(listener.name)}: no pool named ${String(ref)} in the stack`);
      }
    }
  }
  return stack;
}

/** The normal form of one object: known fields in spec order minus defaults and blanks, then its children. */
export function normaliseObject(kind: StackKind, object: StackObject): StackObject {
  const out: StackObject = {};
  for (const spec of STACK_FIELDS[kind]) {
    const value = object[spec.field];
    if (blank(value) === null) continue;
    if (spec.default && sameValue(value, spec.default(object))) continue;
    out[spec.field] = withoutNulls(value);
  }
  for (const [key, childKind, arity] of STACK_CHILDREN[kind]) {
    const child = object[key];
    if (arity === 'one') {
      if (child) out[key] = normaliseObject(childKind, child as StackObject);
    } else if (Array.isArray(child) && child.length) {
      out[key] = sortedByKey(childKind, child as StackObject[]).map((c) => normaliseObject(childKind, c));
    }
  }
  return out;
}

export function normaliseStack(stack: Stack): Stack {
  return { loadbalancer: normaliseObject('loadbalancer', stack.loadbalancer) };
}

export function stringifyStack(stack: Stack): string {
  return stringify(normaliseStack(stack));
}
