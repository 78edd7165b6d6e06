// The access log lines of a rendered configuration: HAProxy sends each line, unframed (`format raw`), to the
// provider's UDP socket on loopback (access-log-receiver.ts; Node has no UNIX datagram sockets), in Octavia's
// tenant flow log format '{{ project_id }} {{ lb_id }} %f %ci %cp %t %{+Q}r %ST %B %U %[ssl_c_verify]
// %{+Q}[ssl_c_s_dn] %b %s %Tt %tsc' (https://docs.openstack.org/octavia/latest/admin/log-offloading.html)
// with the load balancer id first, which the provider takes off (the control plane prepends project and lb).
import type { DesiredListener } from '../../model/desired-state.ts';
import { configWord } from './config-quoting.ts';
import { listenerMode } from './render-frontend.ts';

/**
 * The format after the load balancer id. `%b` is the backend name `<pool>:<listener>` here, so its first
 * field is logged: the pool id, as in Octavia's example. In TCP mode HAProxy refuses the HTTP variables:
 * Octavia writes '-' for %r and %ST there (octavia/common/jinja/haproxy/combined_listeners/jinja_cfg.py,
 * _format_log_string), as this does.
 */
function format(mode: 'http' | 'tcp'): string {
  const request = mode === 'http' ? '%{+Q}r %ST' : '- -';
  return `%f %ci %cp %t ${request} %B %U %[ssl_c_verify] %{+Q}[ssl_c_s_dn] %[be_name,field(1,:)] %s %Tt %tsc`;
}

/** `global`: where lines go; `len`: a request line may be far longer than syslog's 1024 bytes. */
export function accessLogTarget(target: string): string {
  return `    log ${configWord(target, 'access log target')} len 16384 format raw local0`;
}

/** A listener's frontend lines (PROMETHEUS listeners log nothing, as on the native data plane). */
export function accessLogFrontend(loadBalancerId: string, listener: DesiredListener): string[] {
  if (listener.protocol === 'PROMETHEUS') return [];
  return ['    log global', `    log-format "${loadBalancerId} ${format(listenerMode(listener))}"`];
}
