// Neutron's attribute converters and validators (neutron-lib api/validators and converters): each turns a
// JSON value into the typed value or throws an InvalidAttribute carrying Neutron's reason text.
import { normalizeCidr, parseIp } from '../../model/ipam.ts';
import { normalizeMac } from '../../model/network.ts';
import { pyStr } from '../wire/py-str.ts';

export class InvalidAttribute extends Error {}

export type Convert = (value: unknown) => unknown;

const invalid = (reason: string): never => {
  throw new InvalidAttribute(reason);
};
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

const nullable =
  (convert: Convert): Convert =>
  (value) =>
    value === null ? null : convert(value);

export const str =
  (max = 255): Convert =>
  (value) => {
    if (typeof value !== 'string') return invalid(`'${pyStr(value)}' is not a valid string`);
    // NUL cannot be stored in a PostgreSQL text column and means nothing in a name.
    if (value.includes('\u0000')) return invalid(`'${pyStr(value)}' contains a NUL character`);
    if (value.length > max) return invalid(`'${value}' exceeds maximum length of ${max}`);
    return value;
  };

export const optionalStr = (max = 255): Convert => nullable(str(max));

/** convert_to_boolean: booleans, 0/1 and oslo's strict boolean strings. */
export const bool: Convert = (value) => {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string' && TRUE.includes(value.toLowerCase())) return true;
  if (typeof value === 'string' && FALSE.includes(value.toLowerCase())) return false;
  return invalid(`'${pyStr(value)}' cannot be converted to boolean`);
};

/** convert_to_int: integers and integer strings. */
export const int: Convert = (value) => {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return invalid(`'${pyStr(value)}' is not an integer`);
};

export const nonNegativeInt: Convert = (value) => {
  const number = int(value) as number;
  return number < 0 ? invalid(`'${number}' should be non-negative`) : number;
};

export const optionalInt: Convert = nullable(int);

export const ipVersion: Convert = (value) => {
  const number = int(value) as number;
  return number === 4 || number === 6 ? number : invalid(`${number} is not in [4, 6]`);
};

export const uuid: Convert = (value) =>
  typeof value === 'string' && UUID_RE.test(value)
    ? value.toLowerCase()
    : invalid(`'${pyStr(value)}' is not a valid UUID`);

export const ip: Convert = (value) =>
  typeof value === 'string' && parseIp(value)
    ? value
    : invalid(`'${pyStr(value)}' is not a valid IP address`);

export const optionalIp: Convert = nullable(ip);

export const cidr: Convert = (value) =>
  typeof value === 'string' && normalizeCidr(value)
    ? value
    : invalid(`'${pyStr(value)}' is not a valid IP subnet`);

export const mac: Convert = (value) =>
  (typeof value === 'string' && normalizeMac(value)) ||
  invalid(`'${pyStr(value)}' is not a valid MAC address`);

/** A list of dicts whose keys are drawn from `keys` (`required` ones mandatory); `what` names the item kind. */
function listOfDicts(what: string, keys: readonly string[], required: readonly string[], value: unknown) {
  if (!Array.isArray(value)) return invalid(`Invalid data format for ${what}: '${pyStr(value)}'`);
  return value.map((item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return invalid(`Invalid data format for ${what}: '${pyStr(item)}'`);
    const dict = item as Record<string, unknown>;
    const given = Object.keys(dict);
    if (given.some((k) => !keys.includes(k)) || required.some((k) => !given.includes(k))) {
      return invalid(
        `Validation of dictionary's keys failed. Expected keys: ${pyStr([...keys].sort())} Provided keys: ${pyStr(given.sort())}`,
      );
    }
    return dict;
  });
}

function noDuplicates(what: string, texts: readonly string[]): void {
  const seen = new Set<string>();
  for (const text of texts) {
    if (seen.has(text)) invalid(`Duplicate ${what} '${text}'`);
    seen.add(text);
  }
}

export const allocationPools: Convert = (value) =>
  listOfDicts('IP pool', ['start', 'end'], ['start', 'end'], value).map((pool) => ({
    start: ip(pool.start) as string,
    end: ip(pool.end) as string,
  }));

export const nameservers: Convert = (value) => {
  if (!Array.isArray(value)) return invalid(`Invalid data format for nameserver: '${pyStr(value)}'`);
  const list = value.map((item: unknown) =>
    typeof item === 'string' && parseIp(item) ? item : invalid(`'${pyStr(item)}' is not a valid nameserver`),
  );
  noDuplicates('nameserver', list);
  return list;
};

export const hostRoutes: Convert = (value) => {
  const routes = listOfDicts('hostroute', ['destination', 'nexthop'], ['destination', 'nexthop'], value).map(
    (r) => ({
      destination: cidr(r.destination) as string,
      nexthop: ip(r.nexthop) as string,
    }),
  );
  noDuplicates(
    'hostroute',
    routes.map((r) => `${r.destination}-${r.nexthop}`),
  );
  return routes;
};

export const fixedIps: Convert = (value) => {
  const list = listOfDicts('fixed IP', ['subnet_id', 'ip_address'], [], value).map((f) => ({
    ...(f.subnet_id !== undefined && { subnetId: uuid(f.subnet_id) as string }),
    ...(f.ip_address !== undefined && { ipAddress: ip(f.ip_address) as string }),
  }));
  noDuplicates(
    'IP address',
    list.flatMap((f) => (f.ipAddress === undefined ? [] : [f.ipAddress])),
  );
  return list;
};

export const addressPairs: Convert = (value) =>
  listOfDicts('allowed address pair', ['ip_address', 'mac_address'], ['ip_address'], value).map((pair) => {
    const address = pair.ip_address;
    if (typeof address !== 'string' || !(parseIp(address) || normalizeCidr(address)))
      return invalid(`'${pyStr(address)}' is not a valid IP address`);
    return {
      ipAddress: address,
      ...(pair.mac_address !== undefined && { macAddress: mac(pair.mac_address) as string }),
    };
  });

export const uuidList: Convert = (value) => {
  if (!Array.isArray(value)) return invalid(`'${pyStr(value)}' is not a list`);
  return value.map((item: unknown) => uuid(item));
};
