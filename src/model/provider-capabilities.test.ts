import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkProviderData, type ProviderCapability } from './provider-capabilities.ts';

const CAPABILITIES: ProviderCapability[] = [
  { name: 'loadbalancer_topology', description: 't', type: 'string', enum: ['ACTIVE_STANDBY', 'SINGLE'] },
  { name: 'valid_vip_networks', description: 'v', type: 'array' },
  { name: 'sriov', description: 's', type: 'boolean' },
];

describe('checkProviderData (jsonschema wording of the amphora driver)', () => {
  it('accepts an empty object and known keys with valid values', () => {
    assert.equal(checkProviderData(CAPABILITIES, {}), undefined);
    assert.equal(
      checkProviderData(CAPABILITIES, {
        loadbalancer_topology: 'SINGLE',
        valid_vip_networks: ['n'],
        sriov: true,
      }),
      undefined,
    );
  });

  it('refuses data that is not a JSON object, in Python repr', () => {
    assert.equal(checkProviderData(CAPABILITIES, [1, 'a']), "[1, 'a'] is not of type 'object'");
    assert.equal(checkProviderData(CAPABILITIES, 'x'), "'x' is not of type 'object'");
    assert.equal(checkProviderData(CAPABILITIES, null), "None is not of type 'object'");
    assert.equal(checkProviderData(CAPABILITIES, true), "True is not of type 'object'");
  });

  it('refuses unknown keys, naming every one', () => {
    assert.equal(
      checkProviderData(CAPABILITIES, { bogus: 1 }),
      "Additional properties are not allowed ('bogus' was unexpected)",
    );
    assert.equal(
      checkProviderData(CAPABILITIES, { a: 1, loadbalancer_topology: 'X', b: 2 }),
      "Additional properties are not allowed ('a', 'b' were unexpected)",
    );
  });

  it('refuses a value outside the enumeration', () => {
    assert.equal(
      checkProviderData(CAPABILITIES, { loadbalancer_topology: 'TRIPLE' }),
      "loadbalancer_topology 'TRIPLE' is not one of ['ACTIVE_STANDBY', 'SINGLE']",
    );
  });

  it('refuses a value of the wrong JSON type before checking the enumeration', () => {
    assert.equal(
      checkProviderData(CAPABILITIES, { loadbalancer_topology: 5 }),
      "loadbalancer_topology 5 is not of type 'string'",
    );
    assert.equal(
      checkProviderData(CAPABILITIES, { valid_vip_networks: 'n1' }),
      "valid_vip_networks 'n1' is not of type 'array'",
    );
  });
});
