// Availability zones and their profiles as the domain sees them (reference §10.4): a profile holds one
// provider's zone metadata (JSON text); a zone, addressed by its name, names a profile.

export type AvailabilityZoneProfile = Readonly<{
  id: string;
  name: string;
  providerName: string;
  /** the JSON object text exactly as submitted */
  availabilityZoneData: string;
}>;

export type AvailabilityZone = Readonly<{
  name: string;
  description: string | null;
  enabled: boolean;
  availabilityZoneProfileId: string;
}>;

/** What a load balancer create needs from a zone: its provider and decoded metadata. */
export type AvailabilityZoneForLoadBalancer = Readonly<{
  name: string;
  enabled: boolean;
  providerName: string;
  data: Record<string, unknown>;
}>;
