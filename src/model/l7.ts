// L7 policies and rules as the domain sees them (camelCase), their vocabularies and limits, and the policy
// argument rules of reference §8.1: which redirect target each action needs, what it clears, and the
// redirect URL check (Octavia's validate.sanitize_l7policy_api_args and URLType).
import type { OperatingStatus, ProvisioningStatus } from './statuses.ts';

export const L7PolicyAction = {
  REJECT: 'REJECT',
  REDIRECT_TO_URL: 'REDIRECT_TO_URL',
  REDIRECT_TO_POOL: 'REDIRECT_TO_POOL',
  REDIRECT_PREFIX: 'REDIRECT_PREFIX',
} as const;
export const L7_POLICY_ACTIONS: readonly string[] = Object.values(L7PolicyAction);
export const REDIRECT_HTTP_CODES: readonly number[] = [301, 302, 303, 307, 308];
export const DEFAULT_REDIRECT_HTTP_CODE = 302;
export const MIN_POLICY_POSITION = 1;
/** Also the default: a policy without a position goes last. */
export const MAX_POLICY_POSITION = 2_147_483_647;

export const L7RuleType = {
  HOST_NAME: 'HOST_NAME',
  PATH: 'PATH',
  FILE_TYPE: 'FILE_TYPE',
  HEADER: 'HEADER',
  COOKIE: 'COOKIE',
  SSL_CONN_HAS_CERT: 'SSL_CONN_HAS_CERT',
  SSL_VERIFY_RESULT: 'SSL_VERIFY_RESULT',
  SSL_DN_FIELD: 'SSL_DN_FIELD',
} as const;
export const L7_RULE_TYPES: readonly string[] = Object.values(L7RuleType);
export const L7RuleCompareType = {
  REGEX: 'REGEX',
  STARTS_WITH: 'STARTS_WITH',
  ENDS_WITH: 'ENDS_WITH',
  CONTAINS: 'CONTAINS',
  EQUAL_TO: 'EQUAL_TO',
} as const;
export const L7_RULE_COMPARE_TYPES: readonly string[] = Object.values(L7RuleCompareType);
/** HAProxy stops parsing past ~53 rules per policy, so Octavia caps them at 50 (reference §8.2). */
export const MAX_RULES_PER_POLICY = 50;

export type L7Policy = Readonly<{
  id: string;
  projectId: string;
  loadBalancerId: string;
  listenerId: string;
  name: string | null;
  description: string | null;
  adminStateUp: boolean;
  provisioningStatus: ProvisioningStatus;
  operatingStatus: OperatingStatus;
  action: string;
  redirectPoolId: string | null;
  redirectUrl: string | null;
  redirectPrefix: string | null;
  redirectHttpCode: number | null;
  /** 1-based, dense within the listener */
  position: number;
  tags: readonly string[];
  createdAt: string;
  updatedAt: string | null;
  ruleIds: readonly string[];
}>;

export type L7Rule = Readonly<{
  id: string;
  projectId: string;
  loadBalancerId: string;
  l7PolicyId: string;
  type: string;
  compareType: string;
  key: string | null;
  value: string;
  invert: boolean;
  adminStateUp: boolean;
  provisioningStatus: ProvisioningStatus;
  operatingStatus: OperatingStatus;
  tags: readonly string[];
  createdAt: string;
  updatedAt: string | null;
}>;

/** The redirect arguments of a body; a key that is present (even null) was given. */
export type PolicyArgs = {
  action?: string | null;
  redirectPoolId?: string | null;
  redirectUrl?: string | null;
  redirectPrefix?: string | null;
  redirectHttpCode?: number | null;
};

export type L7PolicyProblem = Readonly<
  | { code: 'octavia.l7policy-args'; params: Readonly<{ msg: string }> }
  | { code: 'octavia.l7policy-action'; params: Readonly<{ action: string }> }
>;
const argsProblem = (msg: string): L7PolicyProblem => ({ code: 'octavia.l7policy-args', params: { msg } });

/**
 * Makes a policy body consistent (reference §8.1 table): checks the action has its argument, clears what
 * the action does not use, switches the action to match a lone redirect argument and defaults the redirect
 * code to 302 for URL/prefix redirects. Returns the arguments to store, or the 400 to answer.
 */
export function sanitizePolicyArgs(given: PolicyArgs): { args: PolicyArgs } | { problem: L7PolicyProblem } {
  const args: PolicyArgs = { ...given };
  switch (args.action) {
    case undefined:
      break;
    case L7PolicyAction.REJECT:
      Object.assign(args, { redirectUrl: null, redirectPoolId: null });
      break;
    case L7PolicyAction.REDIRECT_TO_URL:
      if (!args.redirectUrl) return { problem: argsProblem('redirect_url must not be None') };
      args.redirectPoolId = null;
      break;
    case L7PolicyAction.REDIRECT_TO_POOL:
      if (!args.redirectPoolId) {
        return { problem: argsProblem('redirect_pool_id or redirect_pool must not be None') };
      }
      args.redirectUrl = null;
      break;
    case L7PolicyAction.REDIRECT_PREFIX:
      if (!args.redirectPrefix) return { problem: argsProblem('redirect_prefix must not be None') };
      break;
    default:
      return { problem: { code: 'octavia.l7policy-action', params: { action: args.action ?? 'None' } } };
  }
  if (args.redirectPoolId && (args.redirectUrl || args.redirectPrefix)) {
    return {
      problem: argsProblem(
        'Cannot specify redirect_pool_id and redirect_url or redirect_prefix at the same time',
      ),
    };
  }
  if (args.redirectPoolId) {
    Object.assign(args, {
      action: L7PolicyAction.REDIRECT_TO_POOL,
      redirectUrl: null,
      redirectPrefix: null,
      redirectHttpCode: null,
    });
  }
  if (args.redirectUrl) {
    Object.assign(args, {
      action: L7PolicyAction.REDIRECT_TO_URL,
      redirectPoolId: null,
      redirectPrefix: null,
    });
    if (!args.redirectHttpCode) args.redirectHttpCode = DEFAULT_REDIRECT_HTTP_CODE;
  }
  if (args.redirectPrefix) {
    Object.assign(args, { action: L7PolicyAction.REDIRECT_PREFIX, redirectPoolId: null, redirectUrl: null });
    if (!args.redirectHttpCode) args.redirectHttpCode = DEFAULT_REDIRECT_HTTP_CODE;
  }
  return { args };
}

// RFC 3986 appendix B, as rfc3986.uri_reference splits a URI.
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
const IP_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;

/**
 * Octavia's validate.url: an http or https scheme and a valid host (the path is percent-encoded first, so
 * any path passes). Control characters U+0000–U+001F and U+007F–U+009F, and the space, are refused anywhere:
 * the URL lands in HAProxy's configuration (INVALID_URL_CHARS_RE,
 * https://opendev.org/openstack/octavia/src/branch/master/octavia/common/validate.py).
 */
export function isValidRedirectUrl(url: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
  if (/[\x00-\x20\x7f-\x9f]/.test(url)) return false;
  const parts = URI_PARTS.exec(url);
  const scheme = parts?.[1];
  const authority = parts?.[2];
  if ((scheme !== 'http' && scheme !== 'https') || !authority) return false;
  const host = authority.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
  return REG_NAME.test(host) || IP_LITERAL.test(host);
}
