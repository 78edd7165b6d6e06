// The `serve` option that caps a request body, declared once with its flag, environment variable, default and
// help: the command line registers it, loadConfig reads it. Free of imports, so the entry point stays light.
import type { OptionSpec } from './tls-policy-options.ts';

/**
 * oslo.middleware's default max_request_body_size, 112 KiB, which OpenStack APIs run with
 * (https://opendev.org/openstack/oslo.middleware/src/branch/master/oslo_middleware/sizelimit.py).
 */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 114_688;

export const MAX_REQUEST_BODY_SIZE_OPTION = {
  flag: '--max-request-body-size <bytes>',
  key: 'maxRequestBodySize',
  env: 'SLUICE_MAX_REQUEST_BODY_SIZE',
  help: `largest request body the APIs accept, in bytes; oslo.middleware's max_request_body_size, which operators raise for batches of thousands of members (env SLUICE_MAX_REQUEST_BODY_SIZE, default ${DEFAULT_MAX_REQUEST_BODY_SIZE})`,
} as const satisfies OptionSpec;
