// What the native data plane cannot do yet, in words the API reuses for its 501
// (`Provider 'native' does not support a requested option: …`, reference §4.2 last line), including L7
// regexes its linear-time engine cannot run and listeners whose regexes together would cost too much.
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { L7_RULE_TYPES } from '../../model/l7.ts';
import { SSL_HEADERS } from '../../model/listener.ts';
import { type OptionSupport, unsupportedBy } from '../option-support.ts';
import { compileL7Regex } from './l7/l7-regex.ts';
import { regexPositions } from './l7/regex-cost.ts';
import { memberAlpn } from './tls/member-tls.ts';
import { tlsVersionRange } from './tls/tls-versions.ts';

const NATIVE_SUPPORT: OptionSupport = {
  listenerProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'UDP', 'TERMINATED_HTTPS', 'PROMETHEUS']),
  poolProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'UDP', 'PROXY', 'PROXYV2']),
  algorithms: new Set(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT']),
  persistence: new Set(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE']),
  // Every L7 rule type Octavia has, the SSL ones on TERMINATED_HTTPS listeners.
  ruleTypes: new Set(L7_RULE_TYPES),
  insertHeaders: new Set([
    'x-forwarded-for',
    'x-forwarded-port',
    'x-forwarded-proto',
    ...SSL_HEADERS.map((h) => h.toLowerCase()),
  ]),
};

/** What option-support.ts refuses for every provider; the native data plane re-encrypts (member-tls.ts). */
const POOL_TLS = 'pool tls_enabled (re-encryption to members)';

/**
 * NFA positions a listener's REGEX rules may hold together. Measured on Node 24 (V8 13.6): up to ~50 ns per
 * position and sample character, so a request whose samples fill the 15 kB head costs at most ~50 ms of regex
 * work; unbounded, one 255-character pattern took ~100 ms and a hundred of them 6 s, a stall again.
 */
export const MAX_LISTENER_REGEX_POSITIONS = 64;

/** The human-readable list of things in `desired` this provider cannot serve; empty when it can serve all. */
export function unsupportedOptions(desired: DesiredLoadBalancer): string[] {
  const found = unsupportedBy(desired, NATIVE_SUPPORT);
  found.delete(POOL_TLS);
  for (const pool of desired.pools) {
    if (!pool.tls.enabled) continue;
    const range = tlsVersionRange(pool.tls.versions);
    if ('unsupported' in range) found.add(`pool ${range.unsupported}`);
    if (pool.tls.alpnProtocols.length > 0 && memberAlpn(pool.tls.alpnProtocols).length === 0) {
      found.add('pool alpn_protocols h2 alone (the native data plane speaks HTTP/1.x to members)');
    }
  }
  for (const listener of desired.listeners) {
    if (listener.protocol === 'TERMINATED_HTTPS') {
      const range = tlsVersionRange(listener.tls.versions);
      if ('unsupported' in range) found.add(range.unsupported);
    }
    // Regexes run only on V8's linear-time engine (l7-regex.ts); one it cannot run is refused, even while
    // disabled, since enabling it later must not be the change that fails on the agent.
    let positions = 0;
    for (const rule of listener.l7policies.flatMap((p) => p.rules)) {
      if (rule.compareType !== 'REGEX') continue;
      const compiled = compileL7Regex(rule.value, rule.type === 'HOST_NAME');
      if ('unsupported' in compiled) found.add(compiled.unsupported);
      else positions += regexPositions(compiled.regex.source);
    }
    // Linear is not enough when the sample is long and the rules many: the work of one request is bounded.
    if (positions > MAX_LISTENER_REGEX_POSITIONS) {
      found.add(
        `L7 rule regexes of listener ${listener.id} (${positions} NFA positions, at most ${MAX_LISTENER_REGEX_POSITIONS})`,
      );
    }
  }
  return [...found];
}

/**
 * TLS that cannot be applied because its certificates are not resolved (yet). The 501 check above judges the
 * options alone, as the API runs it on a document whose certificates are resolved later; applying such a
 * document is refused (native-provider.ts), never served as plain HTTP or plain TCP.
 */
export function unresolvedTls(desired: DesiredLoadBalancer): string[] {
  return [
    ...desired.listeners
      .filter((l) => l.protocol === 'TERMINATED_HTTPS' && !l.tls.material)
      .map((l) => `TERMINATED_HTTPS listener ${l.id} without resolved certificates`),
    ...desired.pools
      .filter((p) => p.tls.enabled && !p.tls.material)
      .map((p) => `pool ${p.id} tls_enabled without resolved certificates`),
  ];
}
