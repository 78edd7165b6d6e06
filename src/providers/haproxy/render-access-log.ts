// The access log lines of a rendered configuration, in Octavia's tenant flow log format '{{ project_id }}
// {{ lb_id }} %f %ci %cp %t %{+Q}r %ST %B %U %[ssl_c_verify] %{+Q}[ssl_c_s_dn] %b %s %Tt %tsc'
// (https://docs.openstack.org/octavia/latest/admin/log-offloading.html) without the first two fields, which
// the control plane prepends. HAProxy writes each line into an in-memory ring, whose forwarder sends the
// lines in batches over a UNIX stream socket to the provider (access-log-socket.ts): one write carries many
// lines. With one UDP datagram per line instead, logging cost HAProxy about 11 µs of CPU per HTTP request and
// its receiver about 12; this way about 4 and 2.5 (one HAProxy thread, wrk -c50, this project's 2-core box).
import type { DesiredListener } from '../../model/desired-state.ts';
import { configWord } from './config-quoting.ts';
import { listenerMode } from './render-frontend.ts';

const RING = 'access-log';

/**
 * The format. `%b` is the backend name `<pool>:<listener>` here, so its first field is logged: the pool id,
 * as in Octavia's example. In TCP mode HAProxy refuses the HTTP variables: Octavia writes '-' for %r and %ST
 * there (octavia/common/jinja/haproxy/combined_listeners/jinja_cfg.py, _format_log_string), as this does.
 */
function format(mode: 'http' | 'tcp'): string {
  const request = mode === 'http' ? '%{+Q}r %ST' : '- -';
  return `%f %ci %cp %t ${request} %B %U %[ssl_c_verify] %{+Q}[ssl_c_s_dn] %[be_name,field(1,:)] %s %Tt %tsc`;
}

/** `global`: lines go to the ring; `len`: a request line may be far longer than syslog's 1024 bytes. */
export function accessLogGlobal(): string {
  return `    log ring@${RING} len 16384 format raw local0`;
}

/**
 * The ring (https://docs.haproxy.org/2.6/configuration.html#3.10): 1 MiB, about 7,000 lines, holds what is
 * logged while no agent listens (a restart) and is forwarded once one does; beyond that the oldest lines go.
 * `log-proto octet-count` frames each line with its length (RFC 6587 §3.4.1), so a line may hold anything.
 */
export function accessLogRing(socketPath: string): string[] {
  return [
    `ring ${RING}`,
    '    format raw',
    '    maxlen 16384',
    '    size 1048576',
    '    timeout connect 1s',
    '    timeout server 30s',
    `    server agent unix@${configWord(socketPath, 'access log socket path')} log-proto octet-count`,
  ];
}

/** A listener's frontend lines (PROMETHEUS listeners log nothing, as on the native data plane). */
export function accessLogFrontend(listener: DesiredListener): string[] {
  if (listener.protocol === 'PROMETHEUS') return [];
  return ['    log global', `    log-format "${format(listenerMode(listener))}"`];
}
