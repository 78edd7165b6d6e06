// What the native data plane cannot do yet, in words the API reuses for its 501
// (`Provider 'native' does not support a requested option: …`, reference §4.2 last line).
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { type OptionSupport, unsupportedBy } from '../option-support.ts';
import { l7RegexProblem } from './l7-regex.ts';

const NATIVE_SUPPORT: OptionSupport = {
  listenerProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'UDP']),
  poolProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'UDP', 'PROXY', 'PROXYV2']),
  algorithms: new Set(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT']),
  persistence: new Set(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE']),
  ruleTypes: new Set(['HOST_NAME', 'PATH', 'FILE_TYPE', 'HEADER', 'COOKIE']),
  insertHeaders: new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']),
};

/** The human-readable list of things in `desired` this provider cannot serve; empty when it can serve all. */
export function unsupportedOptions(desired: DesiredLoadBalancer): string[] {
  const found = unsupportedBy(desired, NATIVE_SUPPORT);
  for (const rule of desired.listeners.flatMap((l) => l.l7policies.flatMap((p) => p.rules))) {
    // Regexes run only on V8's linear-time engine (l7-regex.ts); one it cannot run is refused, even while
    // disabled, since enabling it later must not be the change that fails on the agent.
    const problem =
      rule.compareType === 'REGEX' ? l7RegexProblem(rule.value, rule.type === 'HOST_NAME') : undefined;
    if (problem) found.add(problem);
  }
  return [...found];
}
