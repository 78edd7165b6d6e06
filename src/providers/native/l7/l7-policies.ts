// L7 policy evaluation as HAProxy runs Octavia's render (reference §12.4): only enabled policies with at
// least one enabled rule count; rules are ANDed ACLs (`invert` → `!`); kinds run in HAProxy's fixed order
// (http-request deny, then redirects, then use_backend) and `position` orders policies within a kind.
import { fail } from '../../../errors.ts';
import type { DesiredL7Policy, DesiredL7Rule } from '../../../model/desired-state.ts';
import { type ClientCertFacts, subjectField } from '../tls/client-cert-facts.ts';
import { compileL7Regex } from './l7-regex.ts';

/** The request facts L7 rules fetch (HAProxy `req.hdr`, `path`, `req.cook`). */
export type L7Request = Readonly<{
  host: string | undefined;
  /** the path without the query string (HAProxy `path`) */
  path: string;
  /** path and query, what a prefix redirect keeps */
  url: string;
  header(name: string): string | undefined;
  cookie(name: string): string | undefined;
  /** the TLS client certificate facts (HAProxy ssl_c_*); undefined on a plain connection */
  tls: ClientCertFacts | undefined;
}>;

export type L7Decision =
  | Readonly<{ kind: 'reject' }>
  | Readonly<{ kind: 'redirect'; status: number; location: string }>
  | Readonly<{ kind: 'pool'; poolId: string }>
  | Readonly<{ kind: 'default' }>;

const KIND_ORDER: Readonly<Record<string, number>> = {
  REJECT: 0,
  REDIRECT_TO_URL: 1,
  REDIRECT_PREFIX: 1,
  REDIRECT_TO_POOL: 2,
};

/** Compiles a listener's policies; `poolServed` says whether a REDIRECT_TO_POOL target is rendered. */
export function compileL7Policies(
  policies: readonly DesiredL7Policy[],
  poolServed: (poolId: string) => boolean,
): (request: L7Request) => L7Decision {
  const active = policies
    .filter((p) => p.adminStateUp && p.rules.some((r) => r.adminStateUp) && p.action in KIND_ORDER)
    .filter((p) => p.action !== 'REDIRECT_TO_POOL' || (p.redirectPoolId && poolServed(p.redirectPoolId)))
    .map((p) => ({ policy: p, rules: p.rules.filter((r) => r.adminStateUp).map(compileRule) }))
    .sort(
      (a, b) =>
        KIND_ORDER[a.policy.action] - KIND_ORDER[b.policy.action] || a.policy.position - b.policy.position,
    );
  if (active.length === 0) return () => ({ kind: 'default' });
  return (request) => {
    for (const { policy, rules } of active) {
      if (!rules.every((matches) => matches(request))) continue;
      return decide(policy, request);
    }
    return { kind: 'default' };
  };
}

function decide(policy: DesiredL7Policy, request: L7Request): L7Decision {
  const status = policy.redirectHttpCode ?? 302;
  switch (policy.action) {
    case 'REJECT':
      return { kind: 'reject' };
    case 'REDIRECT_TO_URL':
      return { kind: 'redirect', status, location: policy.redirectUrl ?? '/' };
    case 'REDIRECT_PREFIX': {
      // HAProxy `redirect prefix`: the prefix then the original URI, path and query (a trailing `/` of the
      // prefix is not doubled).
      const prefix = (policy.redirectPrefix ?? '').replace(/\/$/, '');
      return { kind: 'redirect', status, location: `${prefix}${request.url}` };
    }
    default:
      return { kind: 'pool', poolId: policy.redirectPoolId ?? '' };
  }
}

/** One rule as an ACL: fetch the sample, match it with the compare type, then apply `invert`. */
export function compileRule(rule: DesiredL7Rule): (request: L7Request) => boolean {
  // `acl <id> ssl_c_used` and `acl <id> ssl_c_verify eq <value>` (Octavia's macros.j2): boolean and integer
  // ACLs, not string matches; on a plain connection the fetch fails and the ACL is false.
  if (rule.type === 'SSL_CONN_HAS_CERT') return (r) => (r.tls?.used === true) !== rule.invert;
  if (rule.type === 'SSL_VERIFY_RESULT') {
    const expected = Number(rule.value);
    return (r) => (r.tls !== undefined && r.tls.verify === expected) !== rule.invert;
  }
  const ignoreCase = rule.type === 'HOST_NAME'; // `req.hdr(host) -i`
  const value = rule.type === 'FILE_TYPE' ? rule.value.replace(/^\./, '') : rule.value;
  const match = compileMatch(rule.compareType, value, ignoreCase);
  const fetch = compileFetch(rule);
  return (request) => {
    const samples = fetch(request);
    const hit = samples.some((s) => match(ignoreCase ? s.toLowerCase() : s));
    return rule.invert ? !hit : hit;
  };
}

function compileFetch(rule: DesiredL7Rule): (request: L7Request) => string[] {
  const key = rule.key ?? '';
  switch (rule.type) {
    case 'HOST_NAME':
      return (r) => (r.host === undefined ? [] : [r.host]);
    case 'PATH':
      return (r) => [r.path];
    case 'FILE_TYPE':
      // The extension of the last path segment (`jpg` of /a/b.jpg); none → no sample, the ACL is false.
      return (r) => {
        const last = r.path.slice(r.path.lastIndexOf('/') + 1);
        const dot = last.lastIndexOf('.');
        return dot < 0 ? [] : [last.slice(dot + 1)];
      };
    case 'HEADER':
      // HAProxy `req.hdr()` yields every comma-separated value of every occurrence; Node joins them.
      return (r) => {
        const raw = r.header(key);
        return raw === undefined ? [] : raw.split(',').map((v) => v.trim());
      };
    case 'COOKIE':
      return (r) => {
        const raw = r.cookie(key);
        return raw === undefined ? [] : [raw];
      };
    case 'SSL_DN_FIELD':
      // `ssl_c_s_dn(<key>)`: the first subject entry of that name.
      return (r) => {
        const value = r.tls ? subjectField(r.tls, key) : undefined;
        return value === undefined ? [] : [value];
      };
    default:
      return () => [];
  }
}

function compileMatch(compareType: string, value: string, ignoreCase: boolean): (sample: string) => boolean {
  if (compareType === 'REGEX') {
    // Folded by the pattern itself (never by lower-casing it: that turns \D into \d); samples are lowered.
    const compiled = compileL7Regex(value, ignoreCase);
    // The provider refuses such a rule before any apply (unsupported-options.ts); never a silent no-match.
    if ('unsupported' in compiled) {
      throw fail('octavia.provider-unsupported', { provider: 'native', message: compiled.unsupported });
    }
    return (s) => compiled.regex.test(s);
  }
  const text = ignoreCase ? value.toLowerCase() : value;
  switch (compareType) {
    case 'STARTS_WITH':
      return (s) => s.startsWith(text);
    case 'ENDS_WITH':
      return (s) => s.endsWith(text);
    case 'CONTAINS':
      return (s) => s.includes(text);
    default:
      return (s) => s === text;
  }
}
