// The `serve` options of the admin TLS policy (Octavia's [api_settings]), each declared once with its flag,
// environment variable, default and help: the command line registers them, loadConfig reads them. Free of
// imports, so the command-line entry point stays light.

/** A `serve` option: its flag, the ConfigFlags key commander derives from it, its env variable and help. */
export type OptionSpec = Readonly<{ flag: string; key: string; env: string; help: string }>;

/**
 * The three TLS policy options of octavia/common/config.py `[api_settings]`, with Octavia's defaults, enforced
 * on listeners and pools (src/model/tls-policy.ts).
 */
export const TLS_POLICY_OPTIONS = {
  cipherProhibitList: {
    flag: '--tls-cipher-prohibit-list <ciphers>',
    key: 'tlsCipherProhibitList',
    env: 'SLUICE_TLS_CIPHER_PROHIBIT_LIST',
    help: "OpenSSL cipher names no listener or pool may ask for, a comma or colon list; Octavia's tls_cipher_prohibit_list (env SLUICE_TLS_CIPHER_PROHIBIT_LIST, default none)",
  },
  minimumTlsVersion: {
    flag: '--minimum-tls-version <version>',
    key: 'minimumTlsVersion',
    env: 'SLUICE_MINIMUM_TLS_VERSION',
    help: "lowest TLS version listeners and pools may ask for (SSLv3, TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3); Octavia's minimum_tls_version (env SLUICE_MINIMUM_TLS_VERSION, default none)",
  },
  allowTlsTerminatedListeners: {
    flag: '--allow-tls-terminated-listeners <bool>',
    key: 'allowTlsTerminatedListeners',
    env: 'SLUICE_ALLOW_TLS_TERMINATED_LISTENERS',
    help: "true or false: whether TERMINATED_HTTPS listeners may be created; Octavia's allow_tls_terminated_listeners (env SLUICE_ALLOW_TLS_TERMINATED_LISTENERS, default true)",
  },
} as const satisfies Record<string, OptionSpec>;
