// Keep-alive connection pools to HTTP members (HAProxy `http-reuse safe`, reference §12.3): one
// node:http Agent per member endpoint, kept across revisions and retired when the member goes away.
import http from 'node:http';

export class MemberAgents {
  readonly #agents = new Map<string, http.Agent>();

  for(address: string, port: number): http.Agent {
    const key = `${address}|${port}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /**
   * Keeps the agents of `endpoints` (`address|port`); the others close their idle sockets now and every
   * busy one when its request ends (maxFreeSockets 0), so in-flight requests are not cut.
   */
  retain(endpoints: ReadonlySet<string>): void {
    for (const [key, agent] of this.#agents) {
      if (endpoints.has(key)) continue;
      this.#agents.delete(key);
      retire(agent);
    }
  }

  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

function retire(agent: http.Agent): void {
  agent.maxFreeSockets = 0;
  for (const sockets of Object.values(agent.freeSockets)) {
    for (const socket of sockets ?? []) socket.destroy();
  }
}
