import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideVrrp } from './decide-vrrp.ts';

const able = { keepalived: true, root: true, mappings: 1 };

describe('decideVrrp', () => {
  it('runs keepalived on auto only where it runs, the agent is root and an interface is mapped', () => {
    assert.equal(decideVrrp('auto', able), true);
    assert.equal(decideVrrp('auto', { ...able, keepalived: false }), false);
    assert.equal(decideVrrp('auto', { ...able, root: false }), false);
    assert.equal(decideVrrp('auto', { ...able, mappings: 0 }), false);
  });

  it('never runs it when off, even where it could', () => {
    assert.equal(decideVrrp('off', able), false);
  });

  it('refuses to start with on when anything is missing, naming every missing part', () => {
    assert.equal(decideVrrp('on', able), true);
    assert.throws(
      () => decideVrrp('on', { keepalived: false, root: false, mappings: 0 }),
      /^Error: --vrrp on cannot run keepalived: no runnable keepalived binary, the agent is not root, no --interface-mapping$/,
    );
  });
});
