// Flavors and flavor profiles as the domain sees them (reference §10.3): a profile holds one provider's
// metadata (JSON text), a flavor names a profile for users to pick at load balancer creation.

/** Octavia keeps a placeholder row with this id (DELETED load balancers point at it), so it is always 404. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export type FlavorProfile = Readonly<{
  id: string;
  name: string;
  providerName: string;
  /** the JSON object text exactly as submitted */
  flavorData: string;
}>;

export type Flavor = Readonly<{
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  flavorProfileId: string;
}>;

/** What a load balancer create needs from a flavor: its provider and decoded metadata. */
export type FlavorForLoadBalancer = Readonly<{
  id: string;
  enabled: boolean;
  providerName: string;
  flavorData: Record<string, unknown>;
}>;
