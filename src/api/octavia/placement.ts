// Where a new load balancer goes (reference §3.2 steps 7–8): its provider (the flavor's, else the one given,
// else the default; both given and different → 400) and its topology (the flavor's loadbalancer_topology,
// else SINGLE), after checking the flavor and availability zone exist and are enabled.
import { fail } from '../../errors.ts';
import type { Topology } from '../../model/desired-state.ts';
import type { Db } from '../../store/database.ts';
import { getAvailabilityZoneForLoadBalancer } from '../../store/repositories/availability-zone-repository.ts';
import { getFlavorForLoadBalancer } from '../../store/repositories/flavor-repository.ts';
import type { ApiContext } from '../context.ts';

/** `provider` serves the load balancer; `providerAlias` is the alias it was asked for, when it was one. */
export type Placement = { provider: string; providerAlias: string | null; topology: Topology };

export async function placementOf(
  db: Db,
  context: ApiContext,
  body: Record<string, unknown>,
): Promise<Placement> {
  const requested = (body.provider as string | null | undefined) ?? undefined;
  let provider = requested ?? context.config.defaultProvider;
  let topology: Topology = 'SINGLE';
  const flavorId = body.flavor_id as string | null | undefined;
  if (flavorId) {
    const flavor = await getFlavorForLoadBalancer(db, flavorId);
    if (!flavor) throw fail('octavia.validation', { detail: 'Invalid flavor_id.' });
    if (!flavor.enabled) throw fail('octavia.disabled-option', { option: 'flavor', value: flavorId });
    if (requested !== undefined && requested !== flavor.providerName) {
      throw fail('octavia.provider-flavor-mismatch', { flavor: flavorId, provider: requested });
    }
    provider = flavor.providerName;
    if (flavor.flavorData.loadbalancer_topology === 'ACTIVE_STANDBY') topology = 'ACTIVE_STANDBY';
  }
  const zone = body.availability_zone as string | null | undefined;
  if (zone) {
    const az = await getAvailabilityZoneForLoadBalancer(db, zone);
    if (!az) throw fail('octavia.validation', { detail: 'Invalid availability zone.' });
    if (!az.enabled) throw fail('octavia.disabled-option', { option: 'availability_zone', value: zone });
  }
  const info = context.providers.find((p) => p.name === provider);
  if (!info) throw fail('octavia.provider-not-enabled', { provider });
  // An alias (amphora, octavia) is served by the provider it maps to (docs/providers.md).
  return { provider: info.servedBy ?? provider, providerAlias: info.servedBy ? provider : null, topology };
}
