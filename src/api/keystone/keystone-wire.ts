// Keystone's wire shapes for domains, projects, users and roles (snake_case, `links.self`), and the list
// envelope `{"<plural>": […], "links": {"self", "previous": null, "next": null}}` (reference §1.3).
import type { FastifyRequest } from 'fastify';
import type {
  DomainRecord,
  ProjectRecord,
  RoleRecord,
  UserRecord,
} from '../../store/repositories/identity-records.ts';

/** Where a set of routes is mounted: `/v3` or `/identity/v3`, and the public base URL for links. */
export type Mount = Readonly<{ prefix: string; publicUrl: string }>;

export const mountUrl = (mount: Mount, path: string): string => `${mount.publicUrl}${mount.prefix}/${path}`;

export function domainWire(domain: DomainRecord, mount: Mount): Record<string, unknown> {
  return {
    id: domain.id,
    name: domain.name,
    description: domain.description,
    enabled: domain.enabled,
    tags: [],
    links: { self: mountUrl(mount, `domains/${domain.id}`) },
  };
}

export function projectWire(project: ProjectRecord, mount: Mount): Record<string, unknown> {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    domain_id: project.domainId,
    enabled: project.enabled,
    // Keystone reports the domain as the parent of a top-level project.
    parent_id: project.parentId ?? project.domainId,
    is_domain: false,
    tags: project.tags,
    links: { self: mountUrl(mount, `projects/${project.id}`) },
  };
}

export function userWire(user: UserRecord, mount: Mount): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    domain_id: user.domainId,
    enabled: user.enabled,
    default_project_id: user.defaultProjectId,
    password_expires_at: null,
    links: { self: mountUrl(mount, `users/${user.id}`) },
  };
}

export function roleWire(role: RoleRecord, mount: Mount): Record<string, unknown> {
  return {
    id: role.id,
    name: role.name,
    domain_id: null,
    links: { self: mountUrl(mount, `roles/${role.id}`) },
  };
}

export function listBody(
  key: string,
  items: readonly unknown[],
  request: FastifyRequest,
  mount: Mount,
): Record<string, unknown> {
  return { [key]: items, links: { self: `${mount.publicUrl}${request.url}`, previous: null, next: null } };
}
