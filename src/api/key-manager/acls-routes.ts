// /v1/secrets/{id}/acl and /v1/containers/{id}/acl (barbican/api/controllers/acls.py): read the ACL (the
// implicit project-access one when none is set), replace it (PUT), merge into it (PATCH), delete it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type AclKind,
  deleteAcls,
  getAcls,
  saveAcls,
} from '../../store/repositories/secret-acl-repository.ts';
import { validateAcl } from './container-validation.ts';
import { findContainer } from './containers-routes.ts';
import type { KeyManagerContext } from './key-manager-context.ts';
import { enforceContentType, loadBody } from './key-manager-http.ts';
import { RULES } from './key-manager-policy.ts';
import { aclView, containerHref, secretHref } from './key-manager-wire.ts';
import { findSecret } from './secrets-routes.ts';

const ROUTE = { config: { family: 'key-manager' as const } };

const KINDS = [
  { kind: 'secret', path: 'secrets', label: 'SecretACL(s)', find: findSecret, href: secretHref },
  {
    kind: 'container',
    path: 'containers',
    label: 'ContainerACL(s)',
    find: findContainer,
    href: containerHref,
  },
] as const;

export function registerAclRoutes(scope: FastifyInstance, context: KeyManagerContext, api: string): void {
  for (const { kind, path, label, find, href } of KINDS) {
    const url = `${api}/${path}/:id/acl`;
    const entity = (request: FastifyRequest, operation: string) =>
      find(context, request, RULES.ownerOnly, operation);
    scope.get(url, ROUTE, async (request) => {
      const found = await entity(request, `${label} retrieval`);
      return aclView(await getAcls(context.db, kind as AclKind, found.id));
    });
    for (const method of ['put', 'patch'] as const)
      scope[method](url, ROUTE, async (request) => {
        const found = await entity(request, `${label} Update`);
        enforceContentType(request, ['application/json']);
        await saveAcls(context.db, kind, found.id, validateAcl(loadBody(request)), method === 'put');
        return { acl_ref: `${href(context.hrefs, found.id)}/acl` };
      });
    scope.delete(url, ROUTE, async (request, reply) => {
      const found = await entity(request, `${label} deletion`);
      await deleteAcls(context.db, kind, found.id);
      return reply.code(204).send();
    });
  }
}
