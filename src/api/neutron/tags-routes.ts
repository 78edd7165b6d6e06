// The standard-attr-tag API on networks, subnets, ports, routers, floating IPs and security groups:
// `GET/PUT/DELETE /v2.0/{collection}/{id}/tags` and `GET/PUT/DELETE /v2.0/{collection}/{id}/tags/{tag}`,
// with the status codes of neutron/extensions/tagging.py (index 200, show 204, update 201, update_all 200,
// delete 204, delete_all 204): https://docs.openstack.org/api-ref/network/v2/#standard-attributes-tag-extension
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { Db } from '../../store/database.ts';
import { addTag, hasTag, removeTag, replaceTags, tagsOf } from '../../store/repositories/tag-repository.ts';
import type { ApiContext } from '../context.ts';
import { caller } from '../plugins/auth.ts';
import { visibleFloatingIp } from './floating-ips-routes.ts';
import { visibleNetwork } from './networks-routes.ts';
import { readBody } from './neutron-body.ts';
import { NEUTRON_ROUTE } from './neutron-http.ts';
import { owns, policyDenied } from './neutron-policy.ts';
import { checkTag, checkTagsBody } from './neutron-tags.ts';
import { visiblePort } from './ports-routes.ts';
import { visibleRouter } from './routers-routes.ts';
import { visibleSecurityGroup } from './security-groups/security-group-lookup.ts';
import { visibleSubnet } from './subnets-routes.ts';

type Owned = { readonly projectId: string };
type Lookup = (db: Db, auth: AuthContext, id: string) => Promise<Owned>;

/** Each taggable collection and how a caller finds one of its objects (404 when invisible). */
const TAGGABLE: Readonly<Record<string, Lookup>> = {
  networks: visibleNetwork,
  subnets: visibleSubnet,
  ports: visiblePort,
  routers: visibleRouter,
  floatingips: visibleFloatingIp,
  'security-groups': visibleSecurityGroup,
};

type Params = { id: string; tag?: string };

const tagNotFound = (tag: string) =>
  new SluiceError('network.not-found', { kind: 'Tag', id: tag }, 'TagNotFound');

export function registerTagRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;
  for (const [collection, lookup] of Object.entries(TAGGABLE)) {
    const tagsPath = `${prefix}/${collection}/:id/tags`;
    const tagPath = `${tagsPath}/:tag`;
    /** The object's id once the caller may read it (and, for a change, owns it). */
    const target = async (request: FastifyRequest, action: 'get' | 'update' | 'delete') => {
      const auth = caller(request);
      const params = request.params as Params;
      const object = await lookup(db, auth, params.id);
      if (action !== 'get' && !owns(auth, object.projectId))
        throw policyDenied(`${action}_${collection}_tags`);
      return params.id;
    };

    app.get(tagsPath, NEUTRON_ROUTE, async (request) => {
      const id = await target(request, 'get');
      return { tags: (await tagsOf(db, [id])).get(id) ?? [] };
    });
    app.put(tagsPath, NEUTRON_ROUTE, async (request) => {
      const tags = checkTagsBody(readBody(request));
      const id = await target(request, 'update');
      await replaceTags(db, id, tags);
      return { tags };
    });
    app.delete(tagsPath, NEUTRON_ROUTE, async (request, reply) => {
      const id = await target(request, 'delete');
      await replaceTags(db, id, []);
      return reply.code(204).send();
    });

    app.get(tagPath, NEUTRON_ROUTE, async (request, reply) => {
      const tag = checkTag((request.params as Params).tag ?? '');
      const id = await target(request, 'get');
      if (!(await hasTag(db, id, tag))) throw tagNotFound(tag);
      return reply.code(204).send();
    });
    app.put(tagPath, NEUTRON_ROUTE, async (request, reply) => {
      const tag = checkTag((request.params as Params).tag ?? '');
      const id = await target(request, 'update');
      await addTag(db, id, tag);
      // Neutron serializes the plugin's None: the body is JSON `null`.
      return reply.code(201).type('application/json').send('null');
    });
    app.delete(tagPath, NEUTRON_ROUTE, async (request, reply) => {
      const tag = checkTag((request.params as Params).tag ?? '');
      const id = await target(request, 'delete');
      if (!(await removeTag(db, id, tag))) throw tagNotFound(tag);
      return reply.code(204).send();
    });
  }
}
