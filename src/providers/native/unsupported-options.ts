// What the native data plane cannot do yet, in words the API reuses for its 501
// (`Provider 'native' does not support a requested option: …`, reference §4.2 last line), including L7
// regexes its linear-time engine cannot run and listeners whose regexes together would cost too much.
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { type OptionSupport, unsupportedBy } from '../option-support.ts';
import { compileL7Regex } from './l7/l7-regex.ts';
import { regexPositions } from './l7/regex-cost.ts';

const NATIVE_SUPPORT: OptionSupport = {
  listenerProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'UDP']),
  poolProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'UDP', 'PROXY', 'PROXYV2']),
  algorithms: new Set(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT']),
  persistence: new Set(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE']),
  ruleTypes: new Set(['HOST_NAME', 'PATH', 'FILE_TYPE', 'HEADER', 'COOKIE']),
  insertHeaders: new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']),
};

/**
 * NFA positions a listener's REGEX rules may hold together. Measured on Node 24 (V8 13.6): up to ~50 ns per
 * position and sample character, so a request whose samples fill the 15 kB head costs at most ~50 ms of regex
 * work; unbounded, one 255-character pattern took ~100 ms and a hundred of them 6 s, a stall again.
 */
export const MAX_LISTENER_REGEX_POSITIONS = 64;

/** The human-readable list of things in `desired` this provider cannot serve; empty when it can serve all. */
export function unsupportedOptions(desired: DesiredLoadBalancer): string[] {
  const found = unsupportedBy(desired, NATIVE_SUPPORT);
  for (const listener of desired.listeners) {
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
