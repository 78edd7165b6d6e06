// The load balancers the session's project sees (GET /v2/lbaas/loadbalancers, refreshed every 2 s): name,
// VIP, statuses in colour, provider; each links to its page and can be deleted (with its children) after a
// confirmation.
import { useState } from 'preact/hooks';
import { listLoadBalancers } from '../api/octavia.ts';
import { DeleteLbButton } from '../components/delete-lb-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Link } from '../components/link.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TableHead } from '../components/table-head.tsx';
import { useConfirm } from '../components/use-confirm.tsx';
import { usePolling } from '../live/use-polling.ts';

export function LbListPage({ token }: { token: string }) {
  const [error, setError] = useState<string>();
  const list = usePolling(() => listLoadBalancers(token), 2000, token);
  const { ask, dialog } = useConfirm(setError);
  const lbs = list.value;
  return (
    <section aria-labelledby="list-title">
      <div class="row spread">
        <h1 id="list-title">Load balancers</h1>
        <Link to={{ page: 'create' }} class="button">
          Create load balancer
        </Link>
      </div>
      <ErrorAlert message={error ?? list.error} />
      {!lbs && <p>Loading…</p>}
      {lbs && lbs.length === 0 && <p>No load balancers.</p>}
      {lbs && lbs.length > 0 && (
        <table class="list">
          <TableHead columns={['Name', 'VIP', 'Provisioning', 'Operating', 'Provider']} />
          <tbody>
            {lbs.map((lb) => (
              <tr key={lb.id} data-lb={lb.name}>
                <td data-label="Name">
                  <Link to={{ page: 'loadbalancer', id: lb.id }}>{lb.name || lb.id}</Link>
                </td>
                <td data-label="VIP">{lb.vip_address}</td>
                <td data-label="Provisioning">
                  <StatusBadge status={lb.provisioning_status} />
                </td>
                <td data-label="Operating">
                  <StatusBadge status={lb.operating_status} />
                </td>
                <td data-label="Provider">{lb.provider}</td>
                <td>
                  <DeleteLbButton token={token} lb={lb} ask={ask} onDeleted={list.refresh} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog}
    </section>
  );
}
