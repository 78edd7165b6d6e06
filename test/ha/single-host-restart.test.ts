// A host of a SINGLE load balancer killed with kill -9 keeps the VIP in its kernel: the load balancer moves to
// the live host, and when the dead host's agent is started again it removes the address its predecessor added
// (recorded in the VIP ledger of its data dir), so only the live host answers ARP for the VIP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { macOf, macsAnswering } from '../helpers/netns/arp-probe.ts';
import { failedRequests } from '../helpers/netns/client-log.ts';
import { netnsSkipReason } from '../helpers/netns/netns-skip.ts';
import { startSingleLab } from '../helpers/netns/single-lab.ts';
import { until } from '../helpers/netns/until.ts';

const skip = netnsSkipReason();

describe('the restarted agent of a killed host', { skip }, () => {
  it('removes the VIP its predecessor added once the load balancer moved away, and only the live host answers ARP', async (t) => {
    const { lab, lb, serving: dead, spare: live } = await startSingleLab(t);
    await lab.killHost(dead);
    // The kernel of the killed host keeps the address: both hosts hold it once the load balancer moved.
    await until(`${live} takes the VIP`, 15_000, async () =>
      (await lab.hostsHolding(lb.vip)).includes(live) ? true : undefined,
    );
    assert.deepEqual((await lab.hostsHolding(lb.vip)).sort(), ['lb1', 'lb2']);
    await lab.startAgent(dead);
    await until(`${dead} drops the VIP`, 15_000, async () =>
      (await lab.hostsHolding(lb.vip)).includes(dead) ? undefined : true,
    );
    assert.deepEqual(await lab.hostsHolding(lb.vip), [live]);
    assert.deepEqual([...(await macsAnswering(lab, lb.vip))], [await macOf(lab, live)]);
    const { records } = await lab.startClient({
      url: lb.url,
      intervalMs: 50,
      durationMs: 1000,
      maxRequests: 20,
      timeoutMs: 1000,
      retryOnce: false,
    }).done;
    assert.ok(records.length > 0);
    assert.deepEqual(failedRequests(records), [], 'the client is served through the VIP');
  });
});
