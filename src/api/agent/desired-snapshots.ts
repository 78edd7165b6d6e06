// What the long-poll last answered each agent, by etag: per load balancer a key of what it was sent (provider,
// revision, VRRP view). An agent that sends back an etag found here gets only the load balancers whose key
// changed, and the ids that left its set (issue #18: a change carries only the changed load balancer's
// document). Bounded and per process: an etag not found (API restart, another API replica, evicted) gets the
// whole set, which is always correct.
//
// An agent only ever sends back the etag of an answer it received, normally the latest; the few before it
// cover an answer lost on the way. So each agent keeps its last few answers, not a share of one global list:
// an index holds one entry per load balancer the agent serves, and a global list of 1,024 of them held
// hundreds of megabytes at 1,000 load balancers per agent.

/** Per load balancer id, the key of what the agent was sent. */
export type SnapshotIndex = ReadonlyMap<string, string>;

/** Answers kept per agent, newest last. */
const PER_AGENT = 3;

export class DesiredSnapshots {
  readonly #agentLimit: number;
  /** Per agent, least recently answered first; per agent, its last answers, oldest first. */
  readonly #agents = new Map<string, { etag: string; index: SnapshotIndex }[]>();

  constructor(agentLimit = 1024) {
    this.#agentLimit = agentLimit;
  }

  recall(agentId: string, etag: string): SnapshotIndex | undefined {
    return this.#agents.get(agentId)?.find((answer) => answer.etag === etag)?.index;
  }

  remember(agentId: string, etag: string, index: SnapshotIndex): void {
    const answers = (this.#agents.get(agentId) ?? []).filter((answer) => answer.etag !== etag);
    answers.push({ etag, index });
    if (answers.length > PER_AGENT) answers.splice(0, answers.length - PER_AGENT);
    this.#agents.delete(agentId);
    this.#agents.set(agentId, answers);
    while (this.#agents.size > this.#agentLimit) {
      this.#agents.delete(this.#agents.keys().next().value as string);
    }
  }
}
