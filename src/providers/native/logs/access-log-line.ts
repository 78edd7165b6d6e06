// One access log line in Octavia's default tenant flow log format: `[haproxy_amphora] user_log_format`,
// '{{ project_id }} {{ lb_id }} %f %ci %cp %t %{+Q}r %ST %B %U %[ssl_c_verify] %{+Q}[ssl_c_s_dn] %b %s %Tt %tsc'
// (https://docs.openstack.org/octavia/latest/admin/log-offloading.html, octavia/common/config.py). The data
// plane writes the part from %f on; the control plane, which knows the project, prepends project and lb ids.

/** What one HTTP request or TCP connection leaves in the log. */
export type AccessLogEntry = Readonly<{
  listenerId: string;
  clientAddress: string;
  clientPort: number;
  /** Date.now() when the connection (TCP) or request (HTTP) was accepted */
  start: number;
  /** the request line (`GET / HTTP/1.1`); undefined on TCP connections */
  request: string | undefined;
  /** the HTTP status sent to the client; undefined on TCP connections or when none was sent */
  status: number | undefined;
  /** bytes sent to the client (%B) and received from it (%U) */
  bytesOut: number;
  bytesIn: number;
  /** `%[ssl_c_verify]`: 0 when the client certificate verified (or none was sent); undefined without TLS */
  sslVerify: number | undefined;
  /** the client certificate's subject DN, '' when none */
  sslSubject: string;
  poolId: string | undefined;
  memberId: string | undefined;
  /** Date.now() at the end */
  end: number;
  /** HAProxy's termination state with cookie status (%tsc), four characters */
  termination: string;
}>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The last second formatted: many lines share it, so the date is formatted once a second at most. */
let cachedSecond = -1;
let cachedText = '';

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** HAProxy's %t, `dd/Mon/yyyy:HH:MM:SS.mmm` (HAProxy manual 8.2.4), in UTC. */
export function logTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedText = `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    cachedSecond = second;
  }
  const milli = ms - second * 1000;
  return `${cachedText}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}`;
}

/** `%{+Q}`: double quotes around, a double quote inside escaped (HAProxy manual 8.2.4, `Q` flag). */
function quoted(text: string): string {
  return `"${text.includes('"') ? text.replaceAll('"', '\\"') : text}"`;
}

/** Any field that is unknown or does not apply is '-' (Octavia's log-offloading guide). */
export function accessLogLine(e: AccessLogEntry): string {
  return `${e.listenerId} ${e.clientAddress} ${e.clientPort} ${logTime(e.start)} ${e.request === undefined ? '-' : quoted(e.request)} ${e.status ?? '-'} ${e.bytesOut} ${e.bytesIn} ${e.sslVerify ?? '-'} ${quoted(e.sslSubject)} ${e.poolId ?? '-'} ${e.memberId ?? '-'} ${Math.max(0, e.end - e.start)} ${e.termination}`;
}
