// What an admin sees of the whole service, read-only: every project's quotas, the flavors and availability
// zones offered, and the amphorae with their roles (GET /v2/lbaas/quotas, flavors, availabilityzones and
// /v2/octavia/amphorae — the API refuses them to anyone else, and its message shows).
import { ReadonlyTable } from '../components/readonly-table.tsx';

export function AdminPage({ token }: { token: string }) {
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <ReadonlyTable
        token={token}
        heading="Quotas"
        path="/v2/lbaas/quotas"
        plural="quotas"
        columns={['project_id', 'load_balancer', 'listener', 'pool', 'member', 'health_monitor', 'l7policy']}
      />
      <ReadonlyTable
        token={token}
        heading="Flavors"
        path="/v2/lbaas/flavors"
        plural="flavors"
        columns={['name', 'description', 'enabled', 'flavor_profile_id']}
      />
      <ReadonlyTable
        token={token}
        heading="Availability zones"
        path="/v2/lbaas/availabilityzones"
        plural="availability_zones"
        columns={['name', 'description', 'enabled']}
      />
      <ReadonlyTable
        token={token}
        heading="Amphorae"
        path="/v2/octavia/amphorae"
        plural="amphorae"
        columns={['id', 'loadbalancer_id', 'status', 'role', 'lb_network_ip', 'ha_ip']}
      />
    </section>
  );
}
