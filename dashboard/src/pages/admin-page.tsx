// What an admin manages of the whole service, one generic ResourceTable each: flavor profiles and flavors,
// availability zone profiles and zones, every project's quotas, and the amphorae with their failover. The
// create forms pick profiles and projects by name (the lists read here); the page is shown to admins only.

import { useState } from 'preact/hooks';
import { json } from '../api/api-client.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useConfirm } from '../components/use-confirm.tsx';
import { usePolling } from '../live/use-polling.ts';
import {
  AMPHORAE,
  AVAILABILITY_ZONES,
  AZ_PROFILES,
  FLAVOR_PROFILES,
  FLAVORS,
  QUOTAS,
} from '../resources/admin-specs.ts';
import { ResourceTable } from '../resources/resource-table.tsx';

type Named = { id: string; name: string };

/** The objects at `path` (their list under `plural`) as id → name, read every 2 s. */
function useNames(token: string, path: string, plural: string): Record<string, string> {
  const list = usePolling(
    async () => (await json<Record<string, Named[]>>(path, { token }))[plural],
    2000,
    `${token} ${path}`,
  );
  return Object.fromEntries((list.value ?? []).map((o) => [o.id, o.name || o.id]));
}

export function AdminPage({ token }: { token: string }) {
  const [error, setError] = useState<string>();
  const { ask, dialog } = useConfirm(setError);
  const flavorProfiles = useNames(token, '/v2/lbaas/flavorprofiles', 'flavorprofiles');
  const azProfiles = useNames(token, '/v2/lbaas/availabilityzoneprofiles', 'availability_zone_profiles');
  const projects = useNames(token, '/v3/projects', 'projects');
  const scope = (choices: Record<string, string> = {}) => ({
    token,
    ask,
    place: { lbId: 'admin', poolIds: [], listenerIds: [], choices },
  });
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <ErrorAlert message={error} />
      {dialog}
      <ResourceTable scope={scope()} spec={FLAVOR_PROFILES} heading="Flavor profiles" />
      <ResourceTable scope={scope(flavorProfiles)} spec={FLAVORS} heading="Flavors" />
      <ResourceTable scope={scope()} spec={AZ_PROFILES} heading="Availability zone profiles" />
      <ResourceTable scope={scope(azProfiles)} spec={AVAILABILITY_ZONES} heading="Availability zones" />
      <ResourceTable scope={scope(projects)} spec={QUOTAS} heading="Quotas" />
      <ResourceTable scope={scope()} spec={AMPHORAE} heading="Amphorae" />
    </section>
  );
}
