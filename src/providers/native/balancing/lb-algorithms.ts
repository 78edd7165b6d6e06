// The pool balancing algorithms (reference §5 lb_algorithm, §12.3 `balance`): weighted smooth round robin
// (nginx's algorithm), weighted least connections with round-robin tie breaking (HAProxy `leastconn`),
// and source hashing over the weights (HAProxy `balance source`, plus the port for SOURCE_IP_PORT).

/** What an algorithm needs of a member: its identity and (positive) weight. */
export type Weighted = Readonly<{ id: string; weight: number }>;

/** The client of a new session: what the hashing algorithms hash. */
export type ClientKey = Readonly<{ address: string; port: number }>;

export interface Balancer {
  /** Chooses among `candidates` (all eligible, weight > 0); `active` gives a member's open sessions. */
  pick<T extends Weighted>(candidates: readonly T[], client: ClientKey, active: (id: string) => number): T;
}

export function createBalancer(algorithm: string): Balancer {
  switch (algorithm) {
    case 'LEAST_CONNECTIONS':
      return new LeastConnections();
    case 'SOURCE_IP':
      return { pick: (candidates, client) => hashPick(candidates, client.address) };
    case 'SOURCE_IP_PORT':
      return { pick: (candidates, client) => hashPick(candidates, `${client.address}:${client.port}`) };
    default:
      // HAProxy renders anything else as roundrobin too (reference §12.3).
      return new SmoothRoundRobin();
  }
}

/**
 * nginx's smooth weighted round robin: every pick adds each candidate's weight to its running score, takes
 * the highest and subtracts the total from it, so weights 5:1:1 give a,a,b,a,c,a,a rather than bursts.
 */
export class SmoothRoundRobin implements Balancer {
  readonly #score = new Map<string, number>();

  pick<T extends Weighted>(candidates: readonly T[]): T {
    let total = 0;
    let best = candidates[0];
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of candidates) {
      const score = (this.#score.get(candidate.id) ?? 0) + candidate.weight;
      this.#score.set(candidate.id, score);
      total += candidate.weight;
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    this.#score.set(best.id, bestScore - total);
    return best;
  }
}

/**
 * HAProxy `leastconn`: the member with the fewest sessions relative to its weight ((active + 1) / weight,
 * as HAProxy's fwlc key); equal loads are served in turn, starting after the last member chosen.
 */
export class LeastConnections implements Balancer {
  #cursor = 0;

  pick<T extends Weighted>(candidates: readonly T[], _client: ClientKey, active: (id: string) => number): T {
    const n = candidates.length;
    let best = candidates[this.#cursor % n];
    let bestIndex = this.#cursor % n;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let step = 0; step < n; step++) {
      const index = (this.#cursor + step) % n;
      const candidate = candidates[index];
      const load = (active(candidate.id) + 1) / candidate.weight;
      if (load < bestLoad) {
        best = candidate;
        bestIndex = index;
        bestLoad = load;
      }
    }
    this.#cursor = bestIndex + 1;
    return best;
  }
}

/** Weighted hash of `key` over the candidates: the same key gets the same member while they are stable. */
export function hashPick<T extends Weighted>(candidates: readonly T[], key: string): T {
  const total = candidates.reduce((sum, c) => sum + c.weight, 0);
  let point = hash32(key) % total;
  for (const candidate of candidates) {
    if (point < candidate.weight) return candidate;
    point -= candidate.weight;
  }
  return candidates[candidates.length - 1];
}

/** FNV-1a then murmur3's finaliser so neighbouring addresses (127.0.0.1, .2) spread over the members. */
export function hash32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
