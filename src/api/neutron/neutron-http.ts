// Route plumbing shared by the Neutron resources: the two mount prefixes (identity-networking-v1.md §0)
// and the route options. The `.json` suffix neutronclient appends is stripped for every API in app.ts.
import type { FastifyRequest } from 'fastify';
import type { Query } from './neutron-list.ts';

export const NEUTRON_PREFIXES = ['/v2.0', '/networking/v2.0'] as const;

export const NEUTRON_ROUTE = { config: { family: 'neutron' as const } };
export const NEUTRON_PUBLIC_ROUTE = { config: { family: 'neutron' as const, public: true } };

export const itemPath = (prefix: string, collection: string): string => `${prefix}/${collection}/:id`;

export const queryOf = (request: FastifyRequest): Query => request.query as Query;
