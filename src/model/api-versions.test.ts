import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOAD_BALANCER_API_VERSIONS, NEWEST_IMPLEMENTED, versionDocument } from './api-versions.ts';

describe('the load-balancer version document', () => {
  it('lists every version up to the newest implemented one, the last CURRENT and the others SUPPORTED', () => {
    const { versions } = versionDocument('http://h:1');
    assert.equal(versions.at(-1)?.id, NEWEST_IMPLEMENTED);
    assert.equal(versions.at(-1)?.status, 'CURRENT');
    assert.ok(versions.slice(0, -1).every((v) => v.status === 'SUPPORTED'));
    assert.deepEqual(versions[0], {
      id: 'v2.0',
      status: 'SUPPORTED',
      updated: '2016-12-11T00:00:00Z',
      links: [{ href: 'http://h:1/v2', rel: 'self' }],
    });
  });

  it('keeps Octavia’s irregular dates for 2.7 and 2.18', () => {
    const byId = new Map(LOAD_BALANCER_API_VERSIONS.map((v) => [v.id, v.updated]));
    assert.equal(byId.get('v2.7'), '2018-01-25T12:00:00Z');
    assert.equal(byId.get('v2.18'), '2020-04-29T01:00:00Z');
  });

  it('advertises 2.30 as CURRENT with the dates of Octavia master', () => {
    const { versions } = versionDocument('http://h:1');
    assert.deepEqual(
      versions.slice(-4).map((v) => [v.id, v.status, v.updated]),
      [
        ['v2.27', 'SUPPORTED', '2023-05-05T00:00:00Z'],
        ['v2.28', 'SUPPORTED', '2023-11-08T00:00:00Z'],
        ['v2.29', 'SUPPORTED', '2024-10-15T00:00:00Z'],
        ['v2.30', 'CURRENT', '2025-02-26T00:00:00Z'],
      ],
    );
  });
});
