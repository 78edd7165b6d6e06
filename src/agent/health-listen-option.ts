// The agent's `--health-listen` option, declared once (flag, env, help), and its parser. Free of imports but
// types, so the command-line entry point stays light.
import type { OptionSpec } from '../config/tls-policy-options.ts';

export const HEALTH_LISTEN_OPTION = {
  flag: '--health-listen <host:port>',
  key: 'healthListen',
  env: 'SLUICE_AGENT_HEALTH_LISTEN',
  help: 'serve GET /healthz (the data planes run) and /readyz (and reports reach an API) here, for systemd and orchestrators (env SLUICE_AGENT_HEALTH_LISTEN, default off)',
} as const satisfies OptionSpec;
