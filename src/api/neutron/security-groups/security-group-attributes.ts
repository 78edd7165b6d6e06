// The attribute maps of `security-groups` and `security-group-rules` (neutron/extensions/securitygroup.py
// RESOURCE_ATTRIBUTE_MAP with stateful-security-group and standard-attr-description) and their converters,
// which raise Neutron's own faults: https://opendev.org/openstack/neutron/src/branch/master/neutron/extensions/securitygroup.py
import { SluiceError } from '../../../errors.ts';
import { formatIp, parseIp } from '../../../model/ipam.ts';
import { IP_PROTOCOL_MAP } from '../../../model/security-group.ts';
import { pyStr } from '../../wire/py-str.ts';
import type { AttributeMap } from '../neutron-body.ts';
import { bool, type Convert, InvalidAttribute, str, uuid } from '../neutron-validators.ts';
import { defaultAlreadyExists, invalidRule } from './security-group-errors.ts';

const readOnly = { post: false, put: false, convert: str() } as const;

/** _validate_name_not_default: a string of at most 255 characters, never (any case of) `default`. */
const nameNotDefault: Convert = (value) => {
  const name = str(255)(value) as string;
  if (name.toLowerCase() === 'default') throw defaultAlreadyExists();
  return name;
};

export const SECURITY_GROUP_ATTRIBUTES: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  name: { post: 'optional', put: true, convert: nameNotDefault },
  description: { post: 'optional', put: true, convert: str(255) },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  stateful: { post: 'optional', put: true, convert: bool },
  security_group_rules: readOnly,
  tags: readOnly,
  created_at: readOnly,
  updated_at: readOnly,
  revision_number: readOnly,
};

/** sg_supported_protocols as Python prints the tuple: (None, 'any', 'ah', ...). */
const SUPPORTED = `(None, 'any', ${[...IP_PROTOCOL_MAP.keys()].map((name) => `'${name}'`).join(', ')})`;

/** Python's int() of a JSON value: integers, floats (truncated) and decimal strings; undefined otherwise. */
function pyInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return undefined;
}

/** convert_protocol: null/`any`, a number 0..255 kept as text, or a known protocol name (lower-cased). */
const protocol: Convert = (value) => {
  if (value === null || value === 'any') return null;
  const number = pyInt(value);
  if (number !== undefined && number >= 0 && number <= 255) return String(value);
  if (number === undefined && typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'any' || IP_PROTOCOL_MAP.has(lower)) return lower;
  }
  throw invalidRule(
    'SecurityGroupRuleInvalidProtocol',
    `Security group rule protocol ${pyStr(value)} not supported. Only protocol values ${SUPPORTED} and integer representations [0 to 255] are supported.`,
  );
};

/** convert_validate_port_value: null, or 0..65535 (oslo netutils.is_valid_port). */
const port: Convert = (value) => {
  if (value === null) return null;
  const number = pyInt(value);
  if (number !== undefined && number >= 0 && number <= 65535) return number;
  throw invalidRule('SecurityGroupInvalidPortValue', `Invalid value for port ${pyStr(value)}`);
};

/** convert_ethertype_to_case_insensitive. */
const ethertype: Convert = (value) => {
  const found = ['IPv4', 'IPv6'].find(
    (e) => typeof value === 'string' && e.toLowerCase() === value.toLowerCase(),
  );
  if (found) return found;
  throw invalidRule(
    'SecurityGroupRuleInvalidEtherType',
    `Security group rule for ethertype '${pyStr(value)}' not supported. Allowed values are ['IPv4', 'IPv6'].`,
  );
};

/** validate_values(['ingress', 'egress']) as neutron-lib words it. */
const direction: Convert = (value) => {
  if (value === 'ingress' || value === 'egress') return value;
  throw new InvalidAttribute(`${pyStr(value)} is not in valid_values`);
};

/**
 * convert_ip_prefix_to_cidr: empty means none; otherwise str(netaddr.IPNetwork(value)), which keeps the host
 * bits and adds the full-length prefix to a bare address (10.0.0.5 → 10.0.0.5/32).
 */
const remoteIpPrefix: Convert = (value) => {
  if (value === null || value === '' || value === 0 || value === false) return null;
  const text = typeof value === 'string' ? value : undefined;
  const [address, prefix, extra] = text?.split('/') ?? [];
  const ip = address === undefined ? undefined : parseIp(address);
  const bits = ip?.version === 6 ? 128 : 32;
  const length = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
  if (!ip || extra !== undefined || !(length >= 0 && length <= bits))
    throw new SluiceError(
      'network.http-bad-request',
      { detail: `Invalid CIDR ${pyStr(value)} given as IP prefix.` },
      'InvalidCIDR',
    );
  return `${formatIp(ip)}/${length}`;
};

const optionalString: Convert = (value) => (value === null ? null : str(255)(value));

export const SECURITY_GROUP_RULE_ATTRIBUTES: AttributeMap = {
  id: { post: false, put: false, convert: uuid },
  security_group_id: { post: 'required', put: false, convert: str(36) },
  remote_group_id: { post: 'optional', put: false, convert: optionalString },
  remote_address_group_id: { post: 'optional', put: false, convert: optionalString },
  direction: { post: 'required', put: false, convert: direction },
  protocol: { post: 'optional', put: false, convert: protocol },
  port_range_min: { post: 'optional', put: false, convert: port },
  port_range_max: { post: 'optional', put: false, convert: port },
  ethertype: { post: 'optional', put: false, convert: ethertype },
  remote_ip_prefix: { post: 'optional', put: false, convert: remoteIpPrefix },
  tenant_id: { post: 'optional', put: false, convert: str(255) },
  project_id: { post: 'optional', put: false, convert: str(255) },
  description: { post: 'optional', put: false, convert: str(255) },
  normalized_cidr: readOnly,
  belongs_to_default_sg: readOnly,
  created_at: readOnly,
  updated_at: readOnly,
  revision_number: readOnly,
};
