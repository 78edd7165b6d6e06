// One kill under load in the HA lab (test/helpers/netns/): two client loops in `client`, one without and one
// with retry-once, hit the URL while every process of the serving host is killed with -9; the traffic gap
// (longest time between two successful answers, client-log.ts) and the failed requests come from their logs.
import { failedRequests, trafficGap } from '../test/helpers/netns/client-log.ts';
import type { Lab } from '../test/helpers/netns/sluice-lab.ts';
import { until } from '../test/helpers/netns/until.ts';

export type RoundTiming = Readonly<{
  /** load before the kill */
  leadMs: number;
  /** load after the kill: longer than the gap expected, or the round counts as not resumed */
  tailMs: number;
}>;

export type KillResult = Readonly<{
  /** longest time between two successful answers around the kill; undefined when traffic never resumed */
  gapMs: number | undefined;
  failed: number;
  failedWithRetry: number;
  requests: number;
}>;

const INTERVAL_MS = 20;
/**
 * Each request's bound. A SYN lost in the moment before the takeover (a dead host's kernel may drop it: Sluice's
 * VIP fence) is sent again after TCP's initial RTO of 1 s (RFC 6298 §2.1,
 * https://www.rfc-editor.org/rfc/rfc6298#section-2): a bound of 1 s or less could not ride out one lost packet on
 * any network, so 3 s. A connection to a dead host's address is refused at once while its kernel lives unfenced.
 */
export const TIMEOUT_MS = 3000;
/** A request in flight when the kill began may still finish a moment after (on a busy host): not yet the gap. */
const KILL_SLACK_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function killUnderLoad(
  lab: Lab,
  url: string,
  host: string,
  timing: RoundTiming,
): Promise<KillResult> {
  const durationMs = timing.leadMs + timing.tailMs;
  const load = {
    url,
    intervalMs: INTERVAL_MS,
    durationMs,
    maxRequests: Math.ceil(durationMs / INTERVAL_MS) + 1,
    timeoutMs: TIMEOUT_MS,
  };
  const plain = lab.startClient({ ...load, retryOnce: false });
  const retried = lab.startClient({ ...load, retryOnce: true });
  // The lead counts from when both loops send, not from when their processes were spawned.
  await until('client loops sending', 15_000, async () =>
    plain.process.output().includes('sending') && retried.process.output().includes('sending')
      ? true
      : undefined,
  );
  await sleep(timing.leadMs);
  const killedAt = await lab.killHost(host);
  const [plainLog, retriedLog] = await Promise.all([plain.done, retried.done]);
  const gap = trafficGap(plainLog.records);
  // The longest stretch without an answer must be the kill's: it begins before the kill and ends after it.
  const spansKill = gap.from <= killedAt + KILL_SLACK_MS && gap.to > killedAt;
  if (!spansKill) {
    const after = plainLog.records.filter((r) => r.start > killedAt);
    process.stderr.write(
      `# failover round on ${host}: longest gap ${Math.round(gap.ms)} ms from ${Math.round(gap.from - killedAt)} ms to ${Math.round(gap.to - killedAt)} ms after the kill; ${after.filter((r) => r.ok).length} of ${after.length} requests after the kill answered; last: ${JSON.stringify(plainLog.records.at(-1))}\n`,
    );
  }
  return {
    gapMs: spansKill ? gap.ms : undefined,
    failed: failedRequests(plainLog.records).length,
    failedWithRetry: failedRequests(retriedLog.records).length,
    requests: plainLog.records.length,
  };
}
