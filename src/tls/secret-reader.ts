// How the TLS checks and the desired state read secrets without depending on the secret store: readers
// injected by whoever owns the store, scoped to a project (another project's secret reads as absent).
// A ref is a URL ending in the secret's UUID or the bare UUID, as python-barbicanclient's calculate_uuid_ref.

/** The payload of the secret `ref` names in project `projectId`, or undefined when there is none. */
export type SecretReader = (projectId: string, ref: string) => Promise<Buffer | undefined>;

/** A legacy Barbican certificate container's secrets, by the names Octavia reads (barbican_legacy.py). */
export type CertificateContainer = Readonly<{
  certificate: Buffer;
  privateKey: Buffer;
  intermediates?: Buffer;
  privateKeyPassphrase?: Buffer;
}>;
export type ContainerReader = (projectId: string, ref: string) => Promise<CertificateContainer | undefined>;

/**
 * Runs `load`, the resolution of `ref` in `projectId` into material of `kind`, through a cache: a reader may
 * answer from what an earlier load made as long as the ref still names the same secret or container content.
 */
export type ResolutionMemo = <T>(
  kind: string,
  projectId: string,
  ref: string,
  load: () => Promise<T>,
) => Promise<T>;

/**
 * What the API context and the desired state take: secrets, optionally legacy containers, and optionally a
 * cache of what refs resolve to (`memo`; without it every resolution reads and parses again).
 */
export type SecretReaders = Readonly<{
  secret: SecretReader;
  container?: ContainerReader;
  memo?: ResolutionMemo;
}>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The UUID a ref names: its last path segment (trailing slashes dropped), as calculate_uuid_ref does
 * (https://opendev.org/openstack/python-barbicanclient/src/branch/master/barbicanclient/base.py), or
 * undefined when that is not a UUID.
 */
export function secretIdOfRef(ref: string): string | undefined {
  const last = ref.replace(/\/+$/, '').split('/').pop() ?? '';
  return UUID.test(last) ? last.toLowerCase() : undefined;
}
