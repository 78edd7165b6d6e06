// Neutron's security-group faults, with the types and messages of neutron/extensions/securitygroup.py:
// https://opendev.org/openstack/neutron/src/branch/master/neutron/extensions/securitygroup.py
import { SluiceError } from '../../../errors.ts';

/** An InvalidInput subclass with its own message (400, the message as is). */
export const invalidRule = (type: string, detail: string): SluiceError =>
  new SluiceError('network.http-bad-request', { detail }, type);

const inUse = (type: string, detail: string): SluiceError =>
  new SluiceError('network.in-use', { detail }, type);

export const securityGroupNotFound = (id: string): SluiceError =>
  new SluiceError(
    'network.not-found-detail',
    { detail: `Security group ${id} does not exist` },
    'SecurityGroupNotFound',
  );

export const securityGroupRuleNotFound = (id: string): SluiceError =>
  new SluiceError(
    'network.not-found-detail',
    { detail: `Security group rule ${id} does not exist` },
    'SecurityGroupRuleNotFound',
  );

export const securityGroupInUse = (id: string): SluiceError =>
  inUse('SecurityGroupInUse', `Security Group ${id} in use.`);

export const cannotRemoveDefault = (): SluiceError =>
  inUse('SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');

export const cannotUpdateDefault = (): SluiceError =>
  inUse('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');

export const defaultAlreadyExists = (): SluiceError =>
  inUse('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');

export const ruleExists = (ruleId: string): SluiceError =>
  inUse('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${ruleId}.`);
