// Flavors the HA lab's load balancers are made with, created through the Octavia API as an operator would.
import type { Lab } from './sluice-lab.ts';

/** A flavor whose profile asks for ACTIVE_STANDBY on the provider; resolves with its id. */
export async function activeStandbyFlavor(lab: Lab, provider: string): Promise<string> {
  const profile = await lab.api.call('POST', '/v2/lbaas/flavorprofiles', {
    flavorprofile: {
      name: `lab-ha-${provider}`,
      provider_name: provider,
      flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}',
    },
  });
  if (profile.status !== 201)
    throw new Error(`flavor profile: ${profile.status} ${JSON.stringify(profile.body)}`);
  const flavor = await lab.api.call('POST', '/v2/lbaas/flavors', {
    flavor: {
      name: `lab-ha-${provider}`,
      flavor_profile_id: (profile.body.flavorprofile as { id: string }).id,
    },
  });
  if (flavor.status !== 201) throw new Error(`flavor: ${flavor.status} ${JSON.stringify(flavor.body)}`);
  return (flavor.body.flavor as { id: string }).id;
}
