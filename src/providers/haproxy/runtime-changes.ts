// Which changes HAProxy can take without a reload, as runtime API commands (management guide §9.3): member
// weight (`set server … weight`), admin state (`set server … state ready|maint`) and, in backends with a
// dynamic algorithm, new members (`add server`). Anything else needs a reload; then the plan is undefined.
import type { DesiredLoadBalancer, DesiredMember, DesiredPool } from '../../model/desired-state.ts';
import {
  acceptsDynamicServers,
  enabledMonitor,
  type ServerContext,
  serverArguments,
} from './render-backend.ts';
import { servedBackends } from './render-config.ts';
import { TlsFileSet } from './tls-files.ts';

/**
 * The commands that turn the running `before` into `after`, or undefined when a reload is needed. `render`
 * is the provider's renderer: the two documents must render identically once member weights and admin states
 * are set aside and the added members left out, so nothing but those can differ.
 */
export function planRuntimeChanges(
  before: DesiredLoadBalancer,
  after: DesiredLoadBalancer,
  render: (desired: DesiredLoadBalancer) => string,
): string[] | undefined {
  const previous = new Map(before.pools.map((p) => [p.id, new Map(p.members.map((m) => [m.id, m]))]));
  const added = new Map<string, DesiredMember[]>();
  for (const pool of after.pools) {
    const known = previous.get(pool.id);
    const fresh = pool.members.filter((m) => !known?.has(m.id));
    if (fresh.length > 0) added.set(pool.id, fresh);
  }
  const withoutAdded: DesiredLoadBalancer = {
    ...after,
    pools: after.pools.map((p) =>
      added.has(p.id) ? { ...p, members: p.members.filter((m) => previous.get(p.id)?.has(m.id)) } : p,
    ),
  };
  if (render(neutral(before)) !== render(neutral(withoutAdded))) return undefined;

  const commands: string[] = [];
  for (const backend of servedBackends(after)) {
    const { pool, mode, name, listener } = backend;
    const known = previous.get(pool.id)!;
    for (const member of pool.members) {
      const old = known.get(member.id);
      if (!old) {
        if (!acceptsDynamicServers(pool, mode)) return undefined;
        commands.push(...addServer(name, pool, member, { mode, listener, files: new TlsFileSet('') }));
        continue;
      }
      if (old.weight !== member.weight)
        commands.push(`set server ${name}/${member.id} weight ${member.weight}`);
      if (old.adminStateUp !== member.adminStateUp) {
        commands.push(`set server ${name}/${member.id} state ${member.adminStateUp ? 'ready' : 'maint'}`);
      }
    }
  }
  return commands;
}

/** `add server` creates the server with health checks off and, in 2.6, in maintenance: both are turned on. */
function addServer(
  backend: string,
  pool: DesiredPool,
  member: DesiredMember,
  context: ServerContext,
): string[] {
  const server = `${backend}/${member.id}`;
  // A server added live never re-encrypts (acceptsDynamicServers), so it names no certificate file.
  const commands = [`add server ${server} ${serverArguments(pool, member, context)}`];
  if (enabledMonitor(pool)) commands.push(`enable health ${server}`);
  if (member.adminStateUp) commands.push(`enable server ${server}`);
  return commands;
}

/** The document with every member at weight 1 and enabled: what must not differ for a runtime-only change. */
function neutral(desired: DesiredLoadBalancer): DesiredLoadBalancer {
  return {
    ...desired,
    pools: desired.pools.map((p) => ({
      ...p,
      members: p.members.map((m) => ({ ...m, weight: 1, adminStateUp: true })),
    })),
  };
}
