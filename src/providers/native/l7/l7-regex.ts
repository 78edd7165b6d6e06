// The one place the native data plane turns a tenant's L7 REGEX value into a RegExp: always V8's linear-time
// engine (flag `l`), so no pattern and input can backtrack for seconds and stall every load balancer of the
// process (`^/(a+)+$` against `/aaa…a!` took 43 s with the backtracking engine). What it cannot run is refused.
import v8 from 'node:v8';
import { translatePythonRegex } from './python-regex-translation.ts';

// The flag is set by this module, on its first import, rather than by each entry point: every process that
// compiles or checks tenant regexes (agent, `sluice native-worker`, the API's 501 check in `sluice serve`)
// reaches them only through here, so none can miss it. V8 reads the flag when a RegExp's flags are parsed
// (https://v8.dev/blog/non-backtracking-regexp), so setting it before the first `l` RegExp is enough.
v8.setFlagsFromString('--enable-experimental-regexp-engine');
const LINEAR = 'l';
// A V8 without the engine would throw at every rule; fail at load instead, where the cause is plain.
new RegExp('', LINEAR);

export type L7Regex = Readonly<{ regex: RegExp }> | Readonly<{ unsupported: string }>;

/**
 * Compiles a REGEX value (Python `re` syntax, as the API validated it) for the linear engine; `caseless` is
 * HAProxy's `-i`. `unsupported` names what keeps it from running in linear time, in the 501's words.
 */
export function compileL7Regex(value: string, caseless: boolean): L7Regex {
  const translated = translatePythonRegex(value, caseless);
  if ('unsupported' in translated) return { unsupported: refusal(value, translated.unsupported) };
  try {
    return { regex: new RegExp(translated.source, translated.flags + LINEAR) };
  } catch (error) {
    // V8 says "Cannot be executed in linear time" for lookahead, backreferences and repeat counts it would
    // have to unroll too far (e.g. a{1000}); any other message is a syntax JavaScript lacks.
    const message = error instanceof Error ? error.message : String(error);
    const why = message.endsWith('Cannot be executed in linear time')
      ? 'not runnable in linear time: lookahead, backreferences or large repeat counts'
      : message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return { unsupported: refusal(value, why) };
  }
}

/** Why the native provider refuses `value`, or undefined when it runs it. */
export function l7RegexProblem(value: string, caseless: boolean): string | undefined {
  const compiled = compileL7Regex(value, caseless);
  return 'unsupported' in compiled ? compiled.unsupported : undefined;
}

const refusal = (value: string, why: string) => `L7 rule regex '${value}' (${why})`;
