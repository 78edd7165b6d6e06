// Discovery as clients do it: the public version document at the catalog root, the v2.0 resource list,
// the extension list in Neutron's shape, and the empty subnet pool list.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PUBLIC_URL } from '../../../test/helpers/fake-auth-app.ts';
import {
  ALICE,
  type NeutronFixture,
  neutronError,
  neutronFixture,
} from '../../../test/helpers/neutron-fixture.ts';

describe('Neutron discovery API', () => {
  let f: NeutronFixture;
  beforeEach(async () => {
    f = await neutronFixture();
  });
  afterEach(() => f.close());

  it('serves the version document at /networking without a token', async () => {
    for (const url of ['/networking', '/networking/']) {
      const response = await f.call('GET', url);
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), {
        versions: [
          { id: 'v2.0', status: 'CURRENT', links: [{ href: `${PUBLIC_URL}/networking/v2.0/`, rel: 'self' }] },
        ],
      });
    }
  });

  it('lists the core resources at /v2.0 for an authenticated caller only', async () => {
    assert.equal((await f.call('GET', '/networking/v2.0/')).statusCode, 401);
    const response = await f.call('GET', '/networking/v2.0/', ALICE);
    assert.equal(response.statusCode, 200);
    const networks = response
      .json()
      .resources.find((r: { collection: string }) => r.collection === 'networks');
    assert.deepEqual(networks, {
      name: 'network',
      collection: 'networks',
      links: [{ href: `${PUBLIC_URL}/networking/v2.0/networks`, rel: 'self' }],
    });
    assert.equal((await f.call('GET', '/v2.0', ALICE)).statusCode, 200);
  });

  it('advertises the extensions clients check for, in Neutron’s shape', async () => {
    const { extensions } = (await f.call('GET', '/v2.0/extensions', ALICE)).json();
    assert.deepEqual(
      extensions.map((e: { alias: string }) => e.alias),
      [
        'lbaas',
        'lbaasv2',
        'router',
        'external-net',
        'extraroute',
        'extraroute-atomic',
        'qos',
        'qos-default',
        'provider',
        'allowed-address-pairs',
        'standard-attr-description',
        'standard-attr-tag',
        'security-group',
        'stateful-security-group',
        'security-groups-normalized-cidr',
        'security-groups-rules-belongs-to-default-sg',
      ],
    );
    for (const extension of extensions) {
      assert.deepEqual(Object.keys(extension).sort(), ['alias', 'description', 'links', 'name', 'updated']);
    }
    const one = (await f.call('GET', '/networking/v2.0/extensions/external-net.json', ALICE)).json();
    assert.equal(one.extension.name, 'Neutron external network');
    const missing = await f.call('GET', '/v2.0/extensions/fwaas', ALICE);
    assert.equal(missing.statusCode, 404);
    assert.equal(neutronError(missing.body).type, 'NotFound');
  });

  it('answers an empty subnet pool list', async () => {
    assert.deepEqual((await f.call('GET', '/v2.0/subnetpools', ALICE)).json(), { subnetpools: [] });
  });

  it('describes the security-group extension as Neutron does', async () => {
    const one = (await f.call('GET', '/v2.0/extensions/security-group', ALICE)).json();
    assert.deepEqual(one, {
      extension: {
        alias: 'security-group',
        name: 'security-group',
        description: 'The security groups extension.',
        updated: '2012-10-05T10:00:00-00:00',
        links: [],
      },
    });
  });
});
