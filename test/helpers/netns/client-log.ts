// The client load loop's log (client-load.ts writes it): its options and records, and what a test reads from
// it: the traffic gap (the longest time between two successful responses) and the failed requests.
import fs from 'node:fs';

export type ClientLoadOptions = Readonly<{
  url: string;
  intervalMs: number;
  durationMs: number;
  maxRequests: number;
  timeoutMs: number;
  retryOnce: boolean;
  out: string;
}>;

/** One request: wall-clock ms (epoch, fractional) when it started and ended, and its outcome. */
export type ClientRecord = Readonly<{
  start: number;
  end: number;
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
  attempts: number;
}>;

export type ClientLog = Readonly<{ options: ClientLoadOptions; records: readonly ClientRecord[] }>;

export function readClientLog(file: string): ClientLog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ClientLog;
}

export type TrafficGap = Readonly<{ ms: number; from: number; to: number }>;

/**
 * The longest stretch without a successful response: between the ends of two successive successful requests
 * (by end time). Measured on completions, so a request that started before a failure but answered late
 * counts when it answered.
 */
export function trafficGap(records: readonly ClientRecord[]): TrafficGap {
  return longestGap(records, () => true);
}

/**
 * The longest stretch without a successful response that spans the moment `at` (epoch ms): it began before
 * `at + slackMs` (requests in flight may still finish just after) and ended after `at`. A host's failure is
 * judged by this gap, not by the longest of the run: on a loaded machine a stall of the client or of the
 * data plane well before the failure can outlast the takeover.
 */
export function gapAcross(records: readonly ClientRecord[], at: number, slackMs: number): TrafficGap {
  return longestGap(records, (from, to) => from <= at + slackMs && to > at);
}

function longestGap(
  records: readonly ClientRecord[],
  counts: (from: number, to: number) => boolean,
): TrafficGap {
  const ends = records
    .filter((r) => r.ok)
    .map((r) => r.end)
    .sort((a, b) => a - b);
  let gap: TrafficGap = { ms: 0, from: ends[0] ?? 0, to: ends[0] ?? 0 };
  for (let i = 1; i < ends.length; i += 1) {
    const ms = ends[i] - ends[i - 1];
    if (ms > gap.ms && counts(ends[i - 1], ends[i])) gap = { ms, from: ends[i - 1], to: ends[i] };
  }
  return gap;
}

export const failedRequests = (records: readonly ClientRecord[]) => records.filter((r) => !r.ok);

/** The members that answered after `since` (epoch ms), by response body. */
export function answeringMembers(records: readonly ClientRecord[], since = 0): Set<string> {
  return new Set(records.filter((r) => r.ok && r.start >= since).map((r) => r.body ?? ''));
}
