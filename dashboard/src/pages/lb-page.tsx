// One load balancer, live: its status tree, members and events read every 2 s (no reload), its traffic, and
// the actions on it (failover, admin state, member drain/enable/disable/delete); destructive ones confirm.
import { useState } from 'preact/hooks';
import {
  type LoadBalancer,
  type Member,
  octavia,
  statusTree,
  type StatusTree as Tree,
} from '../api/octavia.ts';
import { latestReasons, type StatusEvent, statusEvents } from '../api/sluice.ts';
import { DeleteLbButton } from '../components/delete-lb-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { EventTimeline } from '../components/event-timeline.tsx';
import { Link } from '../components/link.tsx';
import { MemberActions } from '../components/member-actions.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { StatusTree } from '../components/status-tree.tsx';
import { TrafficPanel } from '../components/traffic-panel.tsx';
import { useConfirm } from '../components/use-confirm.tsx';
import { usePolling } from '../live/use-polling.ts';
import { ResourcePanel } from '../resources/resource-panel.tsx';
import { navigate } from '../router.ts';

type Pool = { id: string; name: string };
type Live = {
  lb: LoadBalancer;
  tree: Tree;
  pools: Pool[];
  members: Record<string, Member>;
  events: StatusEvent[];
};

async function readLive(token: string, id: string): Promise<Live> {
  const [lb, tree, events, pools] = await Promise.all([
    octavia.get<{ loadbalancer: LoadBalancer }>(token, `/loadbalancers/${id}`).then((b) => b.loadbalancer),
    statusTree(token, id),
    statusEvents(token, id),
    octavia.get<{ pools: Pool[] }>(token, `/pools?loadbalancer_id=${id}`).then((b) => b.pools),
  ]);
  const lists = await Promise.all(
    pools.map((pool) =>
      octavia.get<{ members: Member[] }>(token, `/pools/${pool.id}/members`).then((b) => b.members),
    ),
  );
  return { lb, tree, events, pools, members: Object.fromEntries(lists.flat().map((m) => [m.id, m])) };
}

export function LbPage({ token, id }: { token: string; id: string }) {
  const [error, setError] = useState<string>();
  const live = usePolling(() => readLive(token, id), 2000, `${token} ${id}`);
  const { ask, dialog } = useConfirm(setError);
  const run = (action: () => Promise<unknown>) => {
    setError(undefined);
    action().then(live.refresh, (e: Error) => setError(e.message));
  };
  const confirmThen = (title: string, text: string, label: string, action: () => Promise<unknown>) =>
    ask(title, text, label, async () => {
      setError(undefined);
      await action();
      live.refresh();
    });
  const value = live.value;
  if (!value) {
    return (
      <section>
        <Link to={{ page: 'list' }}>← Load balancers</Link>
        <p role={live.error ? 'alert' : undefined}>{live.error ?? 'Loading…'}</p>
      </section>
    );
  }
  const { lb, tree, pools, members, events } = value;
  const names = Object.fromEntries(
    Object.values(members).map((m) => [m.id, `${m.address}:${m.protocol_port}`]),
  );
  const path = `/loadbalancers/${lb.id}`;
  return (
    <section aria-labelledby="lb-title">
      <Link to={{ page: 'list' }}>← Load balancers</Link>
      <div class="row spread">
        <h1 id="lb-title">{lb.name || lb.id}</h1>
        <fieldset class="actions">
          <legend class="sr-only">Load balancer actions</legend>
          <button
            type="button"
            onClick={() =>
              confirmThen('Fail over?', 'The load balancer moves to new amphorae.', 'Fail over', () =>
                octavia.send(token, 'PUT', `${path}/failover`),
              )
            }
          >
            Failover
          </button>
          {lb.admin_state_up ? (
            <button
              type="button"
              onClick={() =>
                confirmThen(
                  'Set admin state down?',
                  'The load balancer stops serving traffic.',
                  'Set down',
                  () => octavia.send(token, 'PUT', path, { loadbalancer: { admin_state_up: false } }),
                )
              }
            >
              Admin state down
            </button>
          ) : (
            <button
              type="button"
              onClick={() =>
                run(() => octavia.send(token, 'PUT', path, { loadbalancer: { admin_state_up: true } }))
              }
            >
              Admin state up
            </button>
          )}
          <DeleteLbButton token={token} lb={lb} ask={ask} onDeleted={() => navigate({ page: 'list' })} />
        </fieldset>
      </div>
      <p>
        VIP <strong>{lb.vip_address}</strong> · provider {lb.provider} ·{' '}
        <StatusBadge status={lb.provisioning_status} /> <StatusBadge status={lb.operating_status} />
      </p>
      <ErrorAlert message={error ?? live.error} />
      <div class="columns">
        <section aria-labelledby="tree-title">
          <h2 id="tree-title">Status</h2>
          <StatusTree
            tree={tree}
            reasons={latestReasons(events)}
            memberActions={(pool, member) => (
              <MemberActions
                token={token}
                poolId={pool.id}
                member={members[member.id]}
                ask={confirmThen}
                run={run}
              />
            )}
          />
        </section>
        <TrafficPanel token={token} lbId={lb.id} names={names} />
      </div>
      <ResourcePanel
        token={token}
        lbId={lb.id}
        pools={pools}
        listenerIds={tree.listeners.map((l) => l.id)}
        ask={confirmThen}
      />
      <section aria-labelledby="events-title">
        <h2 id="events-title">Events</h2>
        <EventTimeline events={events} />
      </section>
      {dialog}
    </section>
  );
}
