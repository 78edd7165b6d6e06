// The failover API on an ACTIVE_STANDBY load balancer whose VIP keepalived holds, on each provider: under a plain
// client loop (no retry, a request every 20 ms, each bounded to 3 s) the MASTER and BACKUP trade places
// (src/controller/vrrp-switch.ts): the VIP moves to the other host, the amphora API shows the swap, and no request
// fails beyond one connection caught mid-handshake by the ARP change (none for a client that retries once); a
// second failover moves it back, and so does one after a takeover left the VIP's group on the survivor. The time
// from the API call to the VIP on the other host is printed.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { haproxyAvailable } from '../../src/providers/haproxy/haproxy-available.ts';
import { keepalivedAvailable } from '../../src/providers/keepalived/keepalived-available.ts';
import { type ActiveStandbyLab, startActiveStandbyLab } from '../helpers/netns/active-standby-lab.ts';
import { failedRequests } from '../helpers/netns/client-log.ts';
import { netnsSkipReason } from '../helpers/netns/netns-skip.ts';
import { until } from '../helpers/netns/until.ts';

const skip =
  netnsSkipReason() ||
  (keepalivedAvailable() ? false : 'keepalived is not installed (apt-get install keepalived)');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LOAD_MS = 8000;

/** Calls the failover API under a plain client loop; checks that `from` hands the VIP to `to` with no failure. */
async function switchOnce(t: TestContext, ha: ActiveStandbyLab, from: string, to: string): Promise<void> {
  const { lab, lb } = ha;
  const load = {
    url: lb.url,
    intervalMs: 20,
    durationMs: LOAD_MS,
    maxRequests: LOAD_MS / 20 + 1,
    timeoutMs: 3000,
  };
  const client = lab.startClient({ ...load, retryOnce: false });
  const retried = lab.startClient({ ...load, retryOnce: true });
  await until('client loops sending', 15_000, async () =>
    client.process.output().includes('sending') && retried.process.output().includes('sending')
      ? true
      : undefined,
  );
  await sleep(1000);
  const calledAt = Date.now();
  const called = await lab.api.call('PUT', `/v2/lbaas/loadbalancers/${lb.id}/failover`);
  assert.equal(called.status, 202, JSON.stringify(called.body));
  await until(`${to} holds the VIP`, 10_000, async () =>
    (await lab.hostsHolding(lb.vip)).includes(to) ? true : undefined,
  );
  const heldAt = Date.now();
  await until(`${from} dropped the VIP`, 10_000, async () =>
    (await lab.hostsHolding(lb.vip)).includes(from) ? undefined : true,
  );
  const droppedAt = Date.now();
  await until('ACTIVE', 30_000, async () => {
    const shown = (await lab.api.call('GET', `/v2/lbaas/loadbalancers/${lb.id}`)).body;
    const status = (shown.loadbalancer as { provisioning_status?: string } | undefined)?.provisioning_status;
    assert.notEqual(status, 'ERROR');
    return status === 'ACTIVE' ? true : undefined;
  });
  const activeAt = Date.now();
  const [{ records }, retriedLog] = await Promise.all([client.done, retried.done]);
  t.diagnostic(
    `${from} → ${to}: VIP on ${to} ${heldAt - calledAt} ms after the call, off ${from} after ${droppedAt - calledAt} ms, ACTIVE after ${activeAt - calledAt} ms; failed ${failedRequests(records).length} of ${records.length}`,
  );
  for (const r of failedRequests(records))
    t.diagnostic(`failed: ${Math.round(r.start - calledAt)} ms after the call, ${r.error ?? r.status}`);
  // Both hosts serve while both hold the VIP; the one thing that can fail is a connection whose handshake went to
  // the old host just before the gratuitous ARP turned the client to the new one: its next segment reaches a
  // host that never saw it and is reset (measured: 1 request in 1,533 over four switches). At most that.
  const unexplained = failedRequests(records).filter(
    (r) => r.error !== 'read ECONNRESET' || r.start < calledAt || r.start > droppedAt,
  );
  assert.deepEqual(unexplained, [], 'no request failed but one caught by the ARP change');
  assert.ok(failedRequests(records).length <= 1, 'at most one request caught by the ARP change');
  assert.deepEqual(
    failedRequests(retriedLog.records),
    [],
    'no request failed for a client that retries once',
  );
  assert.ok(records.length > LOAD_MS / 20 / 2, 'the loop ran');
  assert.deepEqual(await lab.hostsHolding(lb.vip), [to], `only ${to} holds the VIP`);
  assert.deepEqual(await ha.roles(), { master: to, backup: from }, 'the amphora API shows the swap');
}

const providers = ['native', ...(haproxyAvailable() ? ['haproxy'] : [])];

describe('the failover API on an ACTIVE_STANDBY load balancer whose VIP keepalived holds', { skip }, () => {
  for (const provider of providers) {
    it(`${provider}: MASTER and BACKUP trade places under a plain client loop, the VIP moving to the other host, and back again`, async (t) => {
      const ha = await startActiveStandbyLab(t, provider);
      await switchOnce(t, ha, ha.master, ha.backup);
      await switchOnce(t, ha, ha.backup, ha.master);
    });

    it(`${provider}: after kill -9 of the MASTER host and its return (the survivor keeps the VIP), the failover moves the VIP back`, async (t) => {
      const ha = await startActiveStandbyLab(t, provider);
      const { lab, lb } = ha;
      await lab.killHost(ha.master);
      await until('the amphora API shows the takeover', 10_000, async () =>
        (await ha.roles()).master === ha.backup ? true : undefined,
      );
      await lab.startAgent(ha.master);
      await until(`${ha.master} sheds the stale VIP`, 10_000, async () =>
        (await lab.hostsHolding(lb.vip)).includes(ha.master) ? undefined : true,
      );
      await until('ACTIVE before the failover', 30_000, async () => {
        const shown = (await lab.api.call('GET', `/v2/lbaas/loadbalancers/${lb.id}`)).body;
        const { provisioning_status } = shown.loadbalancer as { provisioning_status?: string };
        return provisioning_status === 'ACTIVE' ? true : undefined;
      });
      // The survivor holds the only group of the pair (nopreempt): the switch makes a group preferring the
      // returned host in slot 1 (src/controller/vrrp-switch.ts) instead of refusing.
      await switchOnce(t, ha, ha.backup, ha.master);
    });
  }
});
