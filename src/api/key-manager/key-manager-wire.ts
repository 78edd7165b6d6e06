// How the key manager shows its objects on the wire (barbican/model/models.py to_dict_fields and
// barbican/common/hrefs.py): hrefs instead of ids, Python's isoformat() timestamps, list pages with
// `total` and `next`/`previous` links.
import type { Acl, Secret, SecretContainer } from '../../model/secret.ts';

/** The base of every href: `<public URL>/key-manager` (Barbican's host_href). */
export type Hrefs = Readonly<{ base: string }>;

export const secretHref = (hrefs: Hrefs, id: string) => `${hrefs.base}/v1/secrets/${id}`;
export const containerHref = (hrefs: Hrefs, id: string) => `${hrefs.base}/v1/containers/${id}`;

/** datetime.isoformat() of Barbican's naive UTC times: no zone, microseconds unless they are 0. */
export function pyIsoTime(iso: string): string {
  const [whole, fraction] = iso.replace(/Z$/, '').split('.');
  const micros = (fraction ?? '').padEnd(6, '0').slice(0, 6);
  return /^0+$/.test(micros) ? whole : `${whole}.${micros}`;
}

export function secretView(hrefs: Hrefs, secret: Secret, withConsumers: boolean): Record<string, unknown> {
  return {
    created: pyIsoTime(secret.createdAt),
    updated: pyIsoTime(secret.updatedAt),
    status: 'ACTIVE',
    name: secret.name,
    secret_type: secret.secretType,
    expiration: secret.expiration && pyIsoTime(secret.expiration),
    algorithm: secret.algorithm,
    bit_length: secret.bitLength,
    mode: secret.mode,
    creator_id: secret.creatorId,
    // Secret consumers came with microversion 1.1; Sluice registers none on secrets.
    ...(withConsumers && { consumers: [] }),
    // mime_types.augment_fields_with_content_types: only a secret with a payload has content_types.
    ...(secret.contentType && { content_types: { default: secret.contentType } }),
    secret_ref: secretHref(hrefs, secret.id),
  };
}

export function containerView(hrefs: Hrefs, container: SecretContainer): Record<string, unknown> {
  return {
    created: pyIsoTime(container.createdAt),
    updated: pyIsoTime(container.updatedAt),
    status: 'ACTIVE',
    name: container.name,
    type: container.type,
    creator_id: container.creatorId,
    secret_refs: container.secretRefs.map((ref) => ({
      name: ref.name,
      secret_ref: secretHref(hrefs, ref.secretId),
    })),
    consumers: container.consumers.map((consumer) => ({ name: consumer.name, URL: consumer.url })),
    container_ref: containerHref(hrefs, container.id),
  };
}

/** acls.py _convert_acl_to_response_format; with no ACL stored, the implicit DEFAULT_ACL. */
export function aclView(acls: readonly Acl[]): Record<string, unknown> {
  if (acls.length === 0) return { read: { 'project-access': true } };
  return Object.fromEntries(
    acls.map((acl) => [
      acl.operation,
      {
        'project-access': acl.projectAccess,
        users: acl.users,
        created: pyIsoTime(acl.createdAt),
        updated: pyIsoTime(acl.updatedAt),
      },
    ]),
  );
}

/**
 * hrefs.add_nav_hrefs: `previous` when the page does not start at 0, `next` when more follow; both keep the
 * other query parameters after `limit` and `offset`.
 */
export function listPage(
  hrefs: Hrefs,
  resource: string,
  key: string,
  items: unknown[],
  page: Readonly<{ offset: number; limit: number; total: number; query: string }>,
): Record<string, unknown> {
  if (items.length === 0) return { [key]: [], total: page.total };
  const link = (offset: number) =>
    `${hrefs.base}/v1/${resource}?limit=${page.limit}&offset=${offset}${page.query ? `&${page.query}` : ''}`;
  return {
    [key]: items,
    ...(page.offset > 0 && { previous: link(Math.max(0, page.offset - page.limit)) }),
    ...(page.total > page.offset + page.limit && { next: link(page.offset + page.limit) }),
    total: page.total,
  };
}
