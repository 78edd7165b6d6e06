// The netns lab carries today's traffic: a SINGLE load balancer created through the API gets its VIP on the
// bridge subnet, plumbed on the interface of exactly one lbN host, and a client in its own namespace reaches
// both members through it. Skips (saying why) without root or `ip netns`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answeringMembers, failedRequests } from '../helpers/netns/client-log.ts';
import { createHttpLoadBalancer, type LabLoadBalancer } from '../helpers/netns/lab-load-balancer.ts';
import { netnsSkipReason } from '../helpers/netns/netns-skip.ts';
import { type Lab, startLab } from '../helpers/netns/sluice-lab.ts';
import { until } from '../helpers/netns/until.ts';

const skip = netnsSkipReason();

describe('a SINGLE load balancer in the netns lab', { skip }, () => {
  let lab: Lab;
  let lb: LabLoadBalancer;
  before(async () => {
    lab = await startLab();
    await lab.startAgent('lb1');
    await lab.startAgent('lb2');
    lb = await createHttpLoadBalancer(lab);
  });
  after(async () => {
    await lab?.close();
  });

  it('puts the VIP on the bridge subnet, on the interface of exactly one load-balancer host', async () => {
    assert.ok(lb.vip.startsWith(`${lab.topology.net}.`), `${lb.vip} on ${lab.topology.cidr}`);
    const holding = await until('VIP plumbed', 10_000, async () => {
      const hosts = await lab.hostsHolding(lb.vip);
      return hosts.length > 0 ? hosts : undefined;
    });
    assert.equal(holding.length, 1, `held by ${holding.join(', ')}`);
  });

  it('serves the client host through the VIP from both members, with no failed request', async () => {
    const log = await lab.startClient({
      url: lb.url,
      intervalMs: 20,
      durationMs: 2000,
      maxRequests: 100,
      timeoutMs: 2000,
      retryOnce: false,
    }).done;
    assert.ok(log.records.length >= 20, `${log.records.length} requests`);
    assert.deepEqual(failedRequests(log.records), []);
    assert.deepEqual([...answeringMembers(log.records)].sort(), ['member-a', 'member-b']);
  });
});
