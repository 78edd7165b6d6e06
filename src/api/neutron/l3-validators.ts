// Converters for the L3 attributes (neutron-lib api/definitions l3 and external-net): a nullable UUID (a
// floating IP's port_id), a nullable address, and `external_gateway_info` with its external fixed IPs.
import type { GatewayRequest } from '../../store/repositories/router-repository.ts';
import { pyStr } from '../wire/py-str.ts';
import { bool, type Convert, fixedIps, InvalidAttribute, ip, uuid } from './neutron-validators.ts';

export const optionalUuid: Convert = (value) => (value === null ? null : uuid(value));
export const optionalAddress: Convert = (value) => (value === null ? null : ip(value));

const GATEWAY_KEYS = ['network_id', 'enable_snat', 'external_fixed_ips'];

/** `{"network_id", "enable_snat"?, "external_fixed_ips"?}`, or null / {} to clear the gateway. */
export const externalGatewayInfo: Convert = (value): GatewayRequest | null => {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidAttribute(`Invalid data format for external gateway info: '${pyStr(value)}'`);
  }
  const dict = value as Record<string, unknown>;
  if (Object.keys(dict).length === 0) return null;
  const unknown = Object.keys(dict).filter((key) => !GATEWAY_KEYS.includes(key));
  if (unknown.length > 0 || dict.network_id === undefined) {
    throw new InvalidAttribute(
      `Validation of dictionary's keys failed. Expected keys: ${pyStr(['network_id'])} Provided keys: ${pyStr(Object.keys(dict).sort())}`,
    );
  }
  return {
    networkId: uuid(dict.network_id) as string,
    ...(dict.enable_snat !== undefined && { enableSnat: bool(dict.enable_snat) as boolean }),
    ...(dict.external_fixed_ips !== undefined && {
      fixedIps: fixedIps(dict.external_fixed_ips) as GatewayRequest['fixedIps'],
    }),
  };
};
