import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Agent } from '../model/agent.ts';
import { chooseAgent } from './scheduler.ts';

const agent = (id: string, extra: Partial<Agent> = {}): Agent => ({
  id,
  name: id,
  host: 'h',
  pid: 1,
  availabilityZone: null,
  providers: ['native'],
  vrrpAddresses: null,
  status: 'UP',
  epoch: 'e',
  heartbeatAt: null,
  createdAt: '',
  ...extra,
});
const want = { provider: 'native', availabilityZone: null, avoid: [] };

describe('chooseAgent', () => {
  it('picks the live agent holding the fewest placements', () => {
    const load = new Map([
      ['a', 3],
      ['b', 1],
    ]);
    assert.equal(chooseAgent([agent('a'), agent('b')], load, want)?.id, 'b');
  });

  it('skips agents that are not UP or do not serve the provider', () => {
    const agents = [agent('a', { status: 'DOWN' }), agent('b', { providers: ['haproxy'] }), agent('c')];
    assert.equal(chooseAgent(agents, new Map(), want)?.id, 'c');
  });

  it("puts a standby in another zone than its peer's when one has a live agent, even if busier", () => {
    const agents = [agent('a', { availabilityZone: 'az1' }), agent('b', { availabilityZone: 'az2' })];
    const load = new Map([['b', 5]]);
    assert.equal(chooseAgent(agents, load, { ...want, spreadFrom: ['az1'] })?.id, 'b');
    assert.equal(
      chooseAgent([agents[0]], load, { ...want, spreadFrom: ['az1'] })?.id,
      'a',
      'else the same zone',
    );
  });

  it('keeps a load balancer with an availability zone inside that zone', () => {
    const agents = [agent('a', { availabilityZone: 'az1' }), agent('b', { availabilityZone: 'az2' })];
    assert.equal(chooseAgent(agents, new Map(), { ...want, availabilityZone: 'az2' })?.id, 'b');
    assert.equal(chooseAgent(agents, new Map(), { ...want, availabilityZone: 'az3' }), undefined);
  });

  it('never picks an avoided agent (a BACKUP away from its MASTER), even when it is the only one', () => {
    assert.equal(chooseAgent([agent('a')], new Map(), { ...want, avoid: ['a'] }), undefined);
  });
});
