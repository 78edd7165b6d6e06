// The GET of every Octavia collection: RBAC scopes the list, rows are read within it, filtered, paged and
// projected (wire/listing.ts), and wrapped as `{ <collection>: [...], <collection>_links: [...] }`, Octavia's
// *RootResponse types (https://opendev.org/openstack/octavia/src/branch/master/octavia/api/v2/types). A route
// declaring `sql` has its page read in SQL whenever every filter and sort key maps to a column.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail } from '../../errors.ts';
import type { PolicyObject } from '../../identity/policy.ts';
import type { PageSpec } from '../../store/repositories/keyset-page.ts';
import { caller } from '../plugins/auth.ts';
import {
  type FilterField,
  type ListPlan,
  one,
  pageOf,
  pageRows,
  planList,
  type Query,
  type WireObject,
} from '../wire/listing.ts';
import type { OctaviaRbac } from './rbac.ts';
import { requestUrl } from './request-url.ts';
import { type SqlColumns, sqlPageSpec } from './sql-page-spec.ts';

export type ListRequest<Params = unknown> = FastifyRequest<{ Params: Params; Querystring: Query }>;
type Filters = Readonly<Record<string, FilterField>>;

type ListBase = Readonly<{
  path: string;
  /** the key of the items in the answer, e.g. `listeners` */
  collection: string;
  /** the key of the links where Octavia does not name it `<collection>_links` */
  links?: string;
  /** the RBAC object whose `get_all` rule applies */
  object: PolicyObject;
  /** the sortable attributes and the filter keys of the collection (wire/listing.ts ListOptions) */
  attributes: readonly string[];
  filters: Filters;
  reserved?: readonly string[];
}>;

/**
 * A page read in SQL: the columns of the wire keys, and the page of a scope as wire objects in page order
 * (undefined when the marker is not among the filtered rows).
 */
export type SqlList<Scope> = Readonly<{
  columns: SqlColumns;
  page(scope: Scope, spec: PageSpec): Promise<WireObject[] | undefined>;
}>;

/** Owned resources: the caller's project, or the `project_id` asked for when the policy allows it. */
type ProjectList = ListBase &
  Readonly<{
    scope: 'project';
    rows(projectId: string | undefined): Promise<WireObject[]>;
    sql?: SqlList<string | undefined>;
  }>;

/** Resources without an owner (flavors, zones, amphorae): the policy's `get_all` on the caller's project. */
type CallerList = ListBase & Readonly<{ scope: 'caller'; rows(request: ListRequest): Promise<WireObject[]> }>;

/** Children listed under a parent (members, rules): the parent is found first (404), its project decides. */
type ParentList<Params, Parent extends Owned> = ListBase &
  Readonly<{
    scope: 'parent';
    parent(request: ListRequest<Params>): Promise<Parent>;
    /** the parent's id field of the child model, which the wire leaves out but clients filter on */
    parentKey: string;
    rows(parent: Parent): Promise<WireObject[]>;
    sql?: SqlList<Parent>;
  }>;
type Owned = { readonly id: string; readonly projectId: string };

export type ListRoute<Params = unknown, Parent extends Owned = Owned> =
  | ProjectList
  | CallerList
  | ParentList<Params, Parent>;

const octavia = { config: { family: 'octavia' as const } };

/** Registers `GET <path>` answering the collection; `rbac` is the module's own binding of the policy. */
export function registerListRoute<Params, Parent extends Owned>(
  app: FastifyInstance,
  rbac: OctaviaRbac,
  route: ListRoute<Params, Parent>,
): void {
  app.get<{ Params: Params; Querystring: Query }>(route.path, octavia, async (request) => {
    const { rows, filters, sql } = await scopedRows(request, rbac, route);
    const plan = planList(request.query, { attributes: route.attributes, filters, reserved: route.reserved });
    const spec = sql && sqlPageSpec(plan, sql.columns);
    const items = spec && sql ? await sqlPage(sql, spec, plan) : pageRows(await rows(), plan);
    const page = pageOf(items, plan, request.query, requestUrl(request));
    return { [route.collection]: page.items, [route.links ?? `${route.collection}_links`]: page.links };
  });
}

async function sqlPage(sql: ScopedSql, spec: PageSpec, plan: ListPlan): Promise<WireObject[]> {
  const page = await sql.page(spec);
  if (page === undefined) throw fail('list.invalid-marker', { marker: plan.marker ?? '' });
  return page;
}

type ScopedSql = { columns: SqlColumns; page(spec: PageSpec): Promise<WireObject[] | undefined> };
type Scoped = { rows(): Promise<WireObject[]>; filters: Filters; sql?: ScopedSql };

/**
 * The RBAC check of the list, then how to read its rows: Octavia checks before it reads
 * (octavia/api/v2/controllers/base.py).
 */
async function scopedRows<Params, Parent extends Owned>(
  request: ListRequest<Params>,
  rbac: OctaviaRbac,
  route: ListRoute<Params, Parent>,
): Promise<Scoped> {
  const ctx = caller(request);
  switch (route.scope) {
    case 'project': {
      const projectId = rbac.scopeOfList(ctx, route.object, one(request.query.project_id));
      const sql = route.sql && bind(route.sql, projectId);
      return { rows: () => route.rows(projectId), filters: route.filters, sql };
    }
    case 'caller':
      rbac.enforce(ctx, route.object, 'get_all', ctx.projectId);
      return { rows: () => route.rows(request), filters: route.filters };
    case 'parent': {
      const parent = await route.parent(request);
      rbac.enforce(ctx, route.object, 'get_all', parent.projectId);
      // Every row is the parent's, so its id filter matches them all (and any other id none).
      const filters = { ...route.filters, [route.parentKey]: () => parent.id };
      return { rows: () => route.rows(parent), filters, sql: route.sql && bind(route.sql, parent) };
    }
  }
}

const bind = <Scope>(sql: SqlList<Scope>, scope: Scope): ScopedSql => ({
  columns: sql.columns,
  page: (spec) => sql.page(scope, spec),
});
