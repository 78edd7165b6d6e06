// The agent's `--server` option, declared once (flag, env, help), and its parser: the base URLs of the API
// replicas the agent may talk to, in the order it tries them. Free of imports, so the entry point stays light.
import type { OptionSpec } from '../config/tls-policy-options.ts';

export const SERVER_URLS_OPTION = {
  flag: '--server <urls>',
  key: 'server',
  env: 'SLUICE_SERVER',
  help: 'the Sluice API base URL; several API replicas: --server http://a:9876,http://b:9876, or the flag repeated (env SLUICE_SERVER, comma-separated)',
} as const satisfies OptionSpec;

/**
 * The URLs of the `--server` values (each a comma-separated list, items trimmed, empty ones dropped) or, with no
 * flag, of the env's list; duplicates are dropped (a call tries each replica once). Each must be an absolute
 * http or https URL: the first that is not is a start error naming it. None at all is an empty list: the caller
 * says what is missing.
 */
export function parseServerUrls(flags: readonly string[] | undefined, env: string | undefined): string[] {
  const values = flags && flags.length > 0 ? flags : [env ?? ''];
  const urls = values.flatMap((value) =>
    value
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
  );
  for (const url of urls) {
    const parsed = URL.parse(url);
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
      throw new Error(`--server must be http(s) URLs, not '${url}'`);
  }
  return [...new Set(urls)];
}
