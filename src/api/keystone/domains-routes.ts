// Domain routes (reference §1.3): list (admin; `name`, `enabled` filters) and show (admin, or a caller whose
// user lives in that domain, as Keystone allows). Only the Default domain exists.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { authorizeKeystone, KEYSTONE_ROUTE } from './keystone-access.ts';
import { directoryFilter } from './keystone-input.ts';
import { domainWire, listBody, type Mount } from './keystone-wire.ts';

type IdParams = { Params: { id: string } };

export function registerDomainRoutes(app: FastifyInstance, context: ApiContext, mount: Mount): void {
  const { directory } = context.identity;
  const p = mount.prefix;

  app.get(`${p}/domains`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'list_domains');
    const domains = await directory.listDomains(directoryFilter(request));
    return listBody(
      'domains',
      domains.map((domain) => domainWire(domain, mount)),
      request,
      mount,
    );
  });

  app.get<IdParams>(`${p}/domains/:id`, KEYSTONE_ROUTE, async (request) => {
    authorizeKeystone(request, 'get_domain', (ctx) => ctx.userDomainId === request.params.id);
    return { domain: domainWire(await directory.getDomain(request.params.id), mount) };
  });
}
