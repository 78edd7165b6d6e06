// The load balancer's status tree (GET /v2/lbaas/loadbalancers/{id}/status) as a nested list: every listener,
// pool, health monitor and member with its statuses in colour and the reason of its latest status event;
// each member row carries the actions given for it.
import type { ComponentChildren } from 'preact';
import type { Status, StatusTree as Tree, TreeMember, TreePool } from '../api/octavia.ts';
import { StatusBadge } from './status-badge.tsx';

type Props = {
  tree: Tree;
  reasons: Record<string, string>;
  memberActions: (pool: TreePool, member: TreeMember) => ComponentChildren;
};

function Node({
  kind,
  name,
  status,
  reason,
}: {
  kind: string;
  name: string;
  status: Status;
  reason?: string;
}) {
  return (
    <div class="node">
      <span class="kind">{kind}</span> <span class="name">{name}</span>{' '}
      <StatusBadge status={status.provisioning_status} label="provisioning status" />{' '}
      <StatusBadge status={status.operating_status} label="operating status" />
      {reason && <span class="reason">{reason}</span>}
    </div>
  );
}

export function StatusTree({ tree, reasons, memberActions }: Props) {
  return (
    <ul class="tree" aria-label="Status tree">
      <li>
        <Node kind="Load balancer" name={tree.name || tree.id} status={tree} reason={reasons[tree.id]} />
        <ul>
          {tree.listeners.map((listener) => (
            <li key={listener.id}>
              <Node
                kind="Listener"
                name={listener.name || listener.id}
                status={listener}
                reason={reasons[listener.id]}
              />
              <ul>
                {listener.pools.map((pool) => (
                  <li key={pool.id}>
                    <Node kind="Pool" name={pool.name || pool.id} status={pool} reason={reasons[pool.id]} />
                    <ul>
                      {pool.health_monitor && (
                        <li>
                          <Node
                            kind="Health monitor"
                            name={pool.health_monitor.name || pool.health_monitor.type}
                            status={pool.health_monitor}
                            reason={reasons[pool.health_monitor.id]}
                          />
                        </li>
                      )}
                      {pool.members.map((member) => (
                        <li
                          key={member.id}
                          class="member"
                          data-member={`${member.address}:${member.protocol_port}`}
                        >
                          <Node
                            kind="Member"
                            name={`${member.name || member.address}:${member.protocol_port}`}
                            status={member}
                            reason={reasons[member.id]}
                          />
                          {memberActions(pool, member)}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </li>
    </ul>
  );
}
