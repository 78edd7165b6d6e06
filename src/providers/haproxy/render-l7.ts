// L7 policies and rules as HAProxy ACLs and switching rules (reference §12.4): one `acl <rule id>` per enabled
// rule, then per kind in HAProxy's fixed evaluation order (http-request deny, redirect, use_backend), policies
// in position order. Every pattern follows `--` so a value starting with `-` is never read as an ACL flag.
import type { DesiredL7Policy, DesiredL7Rule } from '../../model/desired-state.ts';
import {
  configWord,
  fetchArgument,
  printable,
  RenderRefusal,
  redirectTarget,
  safeId,
} from './config-quoting.ts';

const MATCH: Readonly<Record<string, string>> = {
  REGEX: '-m reg',
  STARTS_WITH: '-m beg',
  ENDS_WITH: '-m end',
  CONTAINS: '-m sub',
  EQUAL_TO: '-m str',
};

const KIND_ORDER: Readonly<Record<string, number>> = {
  REJECT: 0,
  REDIRECT_TO_URL: 1,
  REDIRECT_PREFIX: 1,
  REDIRECT_TO_POOL: 2,
};

export const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/**
 * FILE_TYPE compares the extension of the last path segment, as the native provider does (`jpg` of /a/b.jpg;
 * none when the segment has no dot): keep the last segment, blank it when it has no dot, strip up to the last
 * dot. Octavia renders `path_end <match> <value>` instead, which with `-m str` compares the whole path.
 */
const FILE_EXTENSION = 'path,regsub(^.*/,),regsub(^[^.]*$,),regsub(^.*[.],)';

/** The policies a frontend renders: enabled, with at least one enabled rule, target pool served. */
export function activePolicies(
  policies: readonly DesiredL7Policy[],
  poolServed: (poolId: string) => boolean,
): DesiredL7Policy[] {
  return policies
    .filter((p) => p.adminStateUp && p.action in KIND_ORDER && p.rules.some((r) => r.adminStateUp))
    .filter(
      (p) => p.action !== 'REDIRECT_TO_POOL' || (p.redirectPoolId !== null && poolServed(p.redirectPoolId)),
    )
    .sort((a, b) => KIND_ORDER[a.action] - KIND_ORDER[b.action] || a.position - b.position);
}

/** `acl` lines then the switching lines of one listener's active policies. */
export function renderL7(
  policies: readonly DesiredL7Policy[],
  backendOf: (poolId: string) => string,
): string[] {
  const acls: string[] = [];
  const actions: string[] = [];
  for (const policy of policies) {
    safeId(policy.id, 'L7 policy');
    const rules = policy.rules.filter((r) => r.adminStateUp);
    for (const rule of rules) acls.push(aclLine(rule));
    const condition = rules.map((r) => (r.invert ? `!${r.id}` : r.id)).join(' ');
    actions.push(`${actionLine(policy, backendOf)} if ${condition}`);
  }
  return [...acls, ...actions];
}

/**
 * The client-certificate rules of a TERMINATED_HTTPS listener, as Octavia's l7rule_macro renders them: a boolean
 * fetch, an integer comparison (OpenSSL's verify result code), or a subject DN field matched like a header.
 */
function sslAclLine(id: string, rule: DesiredL7Rule, match: string | undefined): string | undefined {
  switch (rule.type) {
    case 'SSL_CONN_HAS_CERT':
      return `acl ${id} ssl_c_used`;
    case 'SSL_VERIFY_RESULT':
      if (!/^\d{1,9}$/.test(rule.value))
        throw new RenderRefusal(`L7 rule SSL_VERIFY_RESULT value '${printable(rule.value)}' is not a number`);
      return `acl ${id} ssl_c_verify eq ${Number(rule.value)}`;
    case 'SSL_DN_FIELD': {
      if (!match) throw new RenderRefusal(`L7 rule compare_type ${rule.compareType}`);
      if (rule.compareType === 'REGEX') regexPattern(rule.value);
      const field = fetchArgument(rule.key ?? '', 'L7 rule SSL_DN_FIELD key');
      return `acl ${id} ssl_c_s_dn(${field}) ${match} -- ${configWord(rule.value, 'L7 rule value')}`;
    }
    default:
      return undefined;
  }
}

function aclLine(rule: DesiredL7Rule): string {
  const id = safeId(rule.id, 'L7 rule');
  const ssl = sslAclLine(id, rule, MATCH[rule.compareType]);
  if (ssl !== undefined) return ssl;
  const match = MATCH[rule.compareType];
  if (!match) throw new RenderRefusal(`L7 rule compare_type ${rule.compareType}`);
  let value = rule.value;
  let fetch: string;
  switch (rule.type) {
    case 'HOST_NAME':
      fetch = 'req.hdr(host) -i';
      break;
    case 'PATH':
      fetch = 'path';
      break;
    case 'FILE_TYPE':
      fetch = FILE_EXTENSION;
      value = value.replace(/^\./, '');
      break;
    case 'HEADER':
      fetch = `req.hdr(${fetchArgument(rule.key ?? '', 'L7 rule HEADER key')})`;
      break;
    case 'COOKIE':
      fetch = `req.cook(${fetchArgument(rule.key ?? '', 'L7 rule COOKIE key')})`;
      break;
    default:
      throw new RenderRefusal(`L7 rule type ${rule.type}`);
  }
  if (rule.compareType === 'REGEX') regexPattern(value);
  return `acl ${id} ${fetch} ${match} -- ${configWord(value, 'L7 rule value')}`;
}

/**
 * The API checks that a REGEX value compiles (reference §8.2); checking again here turns a pattern HAProxy's PCRE
 * would refuse into a clear reason instead of a failed `haproxy -c` (JavaScript and PCRE agree on the basics).
 */
function regexPattern(value: string): void {
  try {
    new RegExp(value);
  } catch {
    throw new RenderRefusal(`L7 rule value '${printable(value)}' is not a valid regular expression`);
  }
}

function actionLine(policy: DesiredL7Policy, backendOf: (poolId: string) => string): string {
  const code = policy.redirectHttpCode ?? 302;
  if (
    policy.action.startsWith('REDIRECT_') &&
    policy.action !== 'REDIRECT_TO_POOL' &&
    !REDIRECT_CODES.has(code)
  ) {
    throw new RenderRefusal(`L7 policy redirect_http_code ${code}`);
  }
  switch (policy.action) {
    case 'REJECT':
      return 'http-request deny';
    case 'REDIRECT_TO_URL':
      return `redirect location ${redirectTarget(policy.redirectUrl ?? '', 'L7 policy redirect_url')} code ${code}`;
    case 'REDIRECT_PREFIX': {
      // HAProxy appends the original URI to the prefix; a trailing `/` would double it (as native strips it).
      const prefix = (policy.redirectPrefix ?? '').replace(/\/$/, '');
      return `redirect prefix ${redirectTarget(prefix, 'L7 policy redirect_prefix')} code ${code}`;
    }
    default:
      return `use_backend ${backendOf(policy.redirectPoolId ?? '')}`;
  }
}
