// Real TLS clients run as processes against an endpoint, for end-to-end tests: `curl` (status, HTTP version
// negotiated by ALPN, headers, body, or the refusal) and `openssl s_client` (the certificate served for an
// SNI name). Both are bounded in time; neither throws on a refused handshake, the result says so.
import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const curlMissing: string | false = await run('curl', ['--version']).then(
  () => false,
  () => 'the curl command is not installed (apt-get install curl)',
);

/** A client certificate and its key, as files (test-pki.ts IssuedCertificate has these). */
export type ClientCertFiles = Readonly<{ certificateFile: string; privateKeyFile: string }>;

export type TlsTarget = Readonly<{
  /** the name the client asks for: SNI, Host header and the name curl verifies the certificate against */
  name: string;
  /** where that name resolves to (the VIP) */
  address: string;
  port: number;
  /** the CA the client trusts */
  caFile: string;
  clientCert?: ClientCertFiles;
}>;

export type CurlResult = Readonly<{
  /** curl's exit code: 0 for a completed transfer (35, 56: TLS handshake or read refused) */
  exitCode: number;
  /** HTTP status, 0 when no response came */
  status: number;
  /** `%{http_version}`: 1.1 or 2 */
  httpVersion: string;
  /** response headers, names in lower case */
  headers: Readonly<Record<string, string>>;
  body: string;
  stderr: string;
}>;

const STATUS_MARK = '\n--curl-write-out--';

/** `curl https://<name>:<port><path>` resolved to the target's address; HTTP/2 offered by ALPN when `http2`. */
export async function curlHttps(
  target: TlsTarget,
  path = '/',
  { http2 = false }: { http2?: boolean } = {},
): Promise<CurlResult> {
  const args = [
    '--silent',
    '--show-error',
    '--max-time',
    '15',
    '--resolve',
    `${target.name}:${target.port}:${target.address}`,
    '--cacert',
    target.caFile,
    ...(target.clientCert
      ? ['--cert', target.clientCert.certificateFile, '--key', target.clientCert.privateKeyFile]
      : []),
    http2 ? '--http2' : '--http1.1',
    '--dump-header',
    '-',
    '--write-out',
    `${STATUS_MARK}%{http_code} %{http_version}`,
    `https://${target.name}:${target.port}${path}`,
  ];
  const { exitCode, stdout, stderr } = await runBounded('curl', args);
  const cut = stdout.lastIndexOf(STATUS_MARK);
  const [code, httpVersion] = stdout.slice(cut + STATUS_MARK.length).split(' ');
  const response = stdout.slice(0, cut);
  const headerEnd = response.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of response.slice(0, Math.max(headerEnd, 0)).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    exitCode,
    status: Number(code) || 0,
    httpVersion: httpVersion ?? '',
    headers,
    body: headerEnd < 0 ? '' : response.slice(headerEnd + 4),
    stderr,
  };
}

/**
 * The certificate `openssl s_client` receives when it connects to the target asking for its name by SNI
 * (with the client certificate, if any): the leaf as Node parses it, or null when none came.
 */
export async function servedCertificate(target: TlsTarget): Promise<X509Certificate | null> {
  const args = [
    's_client',
    '-connect',
    `${target.address}:${target.port}`,
    '-servername',
    target.name,
    '-CAfile',
    target.caFile,
    ...(target.clientCert
      ? ['-cert', target.clientCert.certificateFile, '-key', target.clientCert.privateKeyFile]
      : []),
  ];
  const { stdout } = await runBounded('openssl', args);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(stdout);
  return pem ? new X509Certificate(pem[0]) : null;
}

/** The subject CN of a certificate (`CN=x` line of Node's subject). */
export function subjectCn(certificate: X509Certificate | null): string | undefined {
  return certificate ? /^CN=(.*)$/m.exec(certificate.subject)?.[1] : undefined;
}

/** Runs `command` with stdin closed (s_client then ends after the handshake), bounded to 20 s; never throws. */
function runBounded(
  command: string,
  args: readonly string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      signal
        ? reject(new Error(`${command} killed by ${signal}: ${stderr}`))
        : resolve({ exitCode: code ?? 0, stdout, stderr }),
    );
  });
}
