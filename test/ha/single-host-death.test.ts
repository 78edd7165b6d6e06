// Issue 11 part 4 with default settings: when the host serving a SINGLE load balancer dies (kill -9 of every
// process on it) or loses its link, the controller moves the load balancer to the live agent, which plumbs
// and announces the VIP, and the client host's traffic resumes within 5 s of the death. When the host's link
// returns, its agent (which withdrew the VIP when the link went down) asks the server first and plumbs
// nothing: no request fails across the return and only one host answers for the VIP. Gaps are measured from
// the client's own log and printed.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { macOf, macsAnswering } from '../helpers/netns/arp-probe.ts';
import { failedRequests, gapAcross, trafficGap } from '../helpers/netns/client-log.ts';
import type { LabLoadBalancer } from '../helpers/netns/lab-load-balancer.ts';
import { netnsSkipReason } from '../helpers/netns/netns-skip.ts';
import { startSingleLab } from '../helpers/netns/single-lab.ts';
import type { Lab } from '../helpers/netns/sluice-lab.ts';
import { until } from '../helpers/netns/until.ts';

const skip = netnsSkipReason();
const BUDGET_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Failed = { lab: Lab; lb: LabLoadBalancer; dead: string; live: string };

/** Builds the lab (default heartbeat settings), fails the serving host under load, and checks the recovery. */
async function failServingHost(
  t: TestContext,
  fail: (lab: Lab, host: string) => Promise<number>,
): Promise<Failed> {
  const { lab, lb, serving: dead, spare: live } = await startSingleLab(t);
  const client = lab.startClient({
    url: lb.url,
    intervalMs: 20,
    durationMs: 9000,
    maxRequests: 450,
    timeoutMs: 1000,
    retryOnce: false,
  });
  await sleep(2000);
  const diedAt = await fail(lab, dead);
  const { records } = await client.done;
  // The failure's stretch without an answer (it starts before and ends after it), and the run's longest.
  const gap = gapAcross(records, diedAt, 100);
  const longest = trafficGap(records);
  const resumedMs = gap.to - diedAt;
  t.diagnostic(
    `${dead} failed; traffic gap ${Math.round(gap.ms)} ms, served again ${resumedMs > 0 ? `${Math.round(resumedMs)} ms after the failure` : 'never'}; ${
      failedRequests(records).length
    } of ${records.length} requests failed`,
  );
  assert.ok(gap.ms > 0, 'a gap spans the failure');
  assert.ok(resumedMs < BUDGET_MS, `served again ${resumedMs} ms after the failure`);
  assert.ok(longest.ms < BUDGET_MS, `traffic gap ${longest.ms} ms`);
  assert.ok(records.at(-1)?.ok, 'the last request of the run succeeded');
  assert.ok((await lab.hostsHolding(lb.vip)).includes(live), `${live} holds the VIP`);
  return { lab, lb, dead, live };
}

describe('a SINGLE load balancer whose host dies (default settings)', { skip }, () => {
  it('serves again from the live host within 5 s of kill -9 of every process on its host', async (t) => {
    await failServingHost(t, (lab, host) => lab.killHost(host));
  });

  it('serves again within 5 s of its host link going down; when the link returns, that host drops the VIP', async (t) => {
    const { lab, lb, dead, live } = await failServingHost(t, (lab, host) => lab.setLink(host, false));
    await until(`${dead} withdraws the VIP while its link is down`, 5000, async () =>
      (await lab.hostsHolding(lb.vip)).includes(dead) ? undefined : true,
    );
    const client = lab.startClient({
      url: lb.url,
      intervalMs: 20,
      durationMs: 8000,
      maxRequests: 400,
      timeoutMs: 1000,
      retryOnce: false,
    });
    await sleep(1000);
    await lab.setLink(dead, true);
    await until(`${dead} drops the VIP`, 15_000, async () =>
      (await lab.hostsHolding(lb.vip)).includes(dead) ? undefined : true,
    );
    const { records } = await client.done;
    t.diagnostic(
      `across the return of ${dead}: ${failedRequests(records).length} of ${records.length} failed`,
    );
    await until(`${dead}'s agent is UP again`, 10_000, async () =>
      (await lab.agentStatus(dead)) === 'UP' ? true : undefined,
    );
    assert.deepEqual(await lab.hostsHolding(lb.vip), [live]);
    assert.deepEqual([...(await macsAnswering(lab, lb.vip))], [await macOf(lab, live)]);
    // Its agent withdrew the VIP when the link went down and asks the server before plumbing it again
    // (docs/ha.md, "When the host returns"): the returning host never answers for it.
    assert.deepEqual(failedRequests(records), [], 'no request fails across the return');
  });
});
