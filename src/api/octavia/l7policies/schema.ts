// Request bodies for L7 policies, as Octavia's WSME types declare them (L7PolicyPOST/PUT/SingleCreate,
// reference §8.1), and the validation of a policy create or update (URLType, the redirect-code enum and
// sanitize_l7policy_api_args), usable without an HTTP request by the fully populated load balancer create.
import { fail } from '../../../errors.ts';
import {
  isValidRedirectUrl,
  L7_POLICY_ACTIONS,
  type L7Policy,
  MAX_POLICY_POSITION,
  MIN_POLICY_POSITION,
  type PolicyArgs,
  REDIRECT_HTTP_CODES,
  sanitizePolicyArgs,
} from '../../../model/l7.ts';
import type { L7PolicyChanges } from '../../../store/repositories/l7-repository.ts';
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';
import type { Parsed } from '../../wire/parse-body.ts';
import { pyStr } from '../../wire/py-str.ts';
import { L7RULE_SINGLE_CREATE } from '../l7rules/schema.ts';

const COMMON: ObjectFields = {
  name: field(t.string()),
  description: field(t.string()),
  admin_state_up: field(t.bool()),
  action: field(t.enum(L7_POLICY_ACTIONS)),
  redirect_url: field(t.string()),
  redirect_prefix: field(t.string()),
  position: field(t.int(MIN_POLICY_POSITION, MAX_POLICY_POSITION)),
  tags: field(t.list(t.string())),
  // Enum(int, 301, 302, 303, 307, 308): an int first, its membership checked in checkPolicyFields.
  redirect_http_code: field(t.int()),
};
/** A policy inside a listener of a fully populated load balancer create (reference §3.3). */
export const L7POLICY_SINGLE_CREATE: ObjectFields = {
  ...COMMON,
  action: required(t.enum(L7_POLICY_ACTIONS)),
  redirect_pool: field(t.json()),
  rules: field(t.list(t.object(L7RULE_SINGLE_CREATE))),
};
export const L7POLICY_POST: ObjectFields = {
  ...COMMON,
  action: required(t.enum(L7_POLICY_ACTIONS)),
  redirect_pool_id: field(t.uuid()),
  listener_id: required(t.uuid()),
  project_id: field(t.string(36)),
  tenant_id: field(t.string(36)),
  rules: field(t.list(t.object(L7RULE_SINGLE_CREATE))),
};
export const L7POLICY_PUT: ObjectFields = { ...COMMON, redirect_pool_id: field(t.uuid()) };
export const L7POLICY_POST_ENVELOPE: ObjectFields = { l7policy: required(t.create(L7POLICY_POST)) };
export const L7POLICY_PUT_ENVELOPE: ObjectFields = { l7policy: required(t.object(L7POLICY_PUT)) };

/** What a policy create stores (the redirect pool as an id: a graph create resolves its name first). */
export type L7PolicySpec = Pick<
  L7Policy,
  | 'name'
  | 'description'
  | 'adminStateUp'
  | 'action'
  | 'redirectPoolId'
  | 'redirectUrl'
  | 'redirectPrefix'
  | 'redirectHttpCode'
  | 'position'
  | 'tags'
>;

/**
 * The checks WSME's field types make beyond the generic ones: redirect URLs must be absolute http(s) URLs
 * (URLType) and the redirect code one of the enum. Run right after parsing, like WSME does.
 */
export function checkPolicyFields(body: Parsed): void {
  for (const name of ['redirect_url', 'redirect_prefix']) {
    const value = body[name];
    if (typeof value === 'string' && !isValidRedirectUrl(value)) {
      throw fail('request.invalid-input', {
        field: name,
        value: `'${value}'`,
        reason: 'Value must be a valid URL string',
      });
    }
  }
  const code = body.redirect_http_code;
  if (typeof code === 'number' && !REDIRECT_HTTP_CODES.includes(code)) {
    throw fail('request.invalid-input', {
      field: 'redirect_http_code',
      value: `'${pyStr(code)}'`,
      reason: `Value should be one of: ${REDIRECT_HTTP_CODES.join(', ')}`,
    });
  }
}

/** Octavia refuses children under PROMETHEUS listeners (reference §3.3, §8.1). */
export function requireChildrenAllowed(listenerProtocol: string): void {
  if (listenerProtocol === 'PROMETHEUS')
    throw fail('octavia.listener-no-children', { protocol: 'PROMETHEUS' });
}

/** Validates a policy of a POST or of a graph (with `redirect_pool_id` already resolved); throws the 400. */
export function validateL7PolicyCreate(body: Parsed): L7PolicySpec {
  checkPolicyFields(body);
  const args = sanitized(argsOf(body));
  return {
    name: (body.name as string | null | undefined) ?? null,
    description: (body.description as string | null | undefined) ?? null,
    adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
    action: args.action as string,
    redirectPoolId: args.redirectPoolId ?? null,
    redirectUrl: args.redirectUrl ?? null,
    redirectPrefix: args.redirectPrefix ?? null,
    redirectHttpCode: args.redirectHttpCode ?? null,
    position: (body.position as number | null | undefined) ?? MAX_POLICY_POSITION,
    tags: (body.tags as string[] | null | undefined) ?? [],
  };
}

/** Validates a PUT body (only its own fields: reference §8.1) and returns the changes to store. */
export function validateL7PolicyUpdate(body: Parsed): L7PolicyChanges {
  checkPolicyFields(body);
  if (Object.keys(body).length === 0) throw fail('octavia.l7policy-args', { msg: 'Invalid update options' });
  const args = sanitized(argsOf(body));
  return {
    ...('name' in body && { name: body.name as string | null }),
    ...('description' in body && { description: body.description as string | null }),
    ...('admin_state_up' in body && { adminStateUp: body.admin_state_up === true }),
    ...(args.action !== undefined && { action: args.action as string }),
    ...(args.redirectPoolId !== undefined && { redirectPoolId: args.redirectPoolId }),
    ...(args.redirectUrl !== undefined && { redirectUrl: args.redirectUrl }),
    ...(args.redirectPrefix !== undefined && { redirectPrefix: args.redirectPrefix }),
    ...(args.redirectHttpCode !== undefined && { redirectHttpCode: args.redirectHttpCode }),
    // A null position keeps the policy where it is.
    ...(typeof body.position === 'number' && { position: body.position }),
    ...('tags' in body && { tags: (body.tags as string[] | null) ?? [] }),
  };
}

function argsOf(body: Parsed): PolicyArgs {
  const args: PolicyArgs = {};
  if ('action' in body) args.action = body.action as string | null;
  if ('redirect_pool_id' in body) args.redirectPoolId = body.redirect_pool_id as string | null;
  if ('redirect_url' in body) args.redirectUrl = body.redirect_url as string | null;
  if ('redirect_prefix' in body) args.redirectPrefix = body.redirect_prefix as string | null;
  if ('redirect_http_code' in body) args.redirectHttpCode = body.redirect_http_code as number | null;
  return args;
}

function sanitized(args: PolicyArgs): PolicyArgs {
  const result = sanitizePolicyArgs(args);
  if ('problem' in result) throw fail(result.problem.code, result.problem.params);
  return result.args;
}
