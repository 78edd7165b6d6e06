// TLS throughput of TERMINATED_HTTPS: new TLS connections per second (every request on a new connection,
// `Connection: close`; wrk resumes its TLS session), full handshakes per second (`openssl s_time -new`) and
// keep-alive requests per second over TLS, through the native provider, through the
// haproxy provider, and through a hand-written HAProxy serving the same certificate (`nbthread 1`: a native
// load balancer runs on one Node event loop) with the listener's cipher and version defaults, the reference
// every figure is divided by. The certificates come from the secret store (/key-manager, PKCS#12 as the
// Octavia cookbook makes them): one RSA-2048 and one ECDSA P-256, each on its own listener. Bounded: 5 s per
// measurement, SLUICE_BENCH_ROUNDS rounds, targets measured one right after another in alternating order.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, startServe } from '../test/helpers/serve-process.ts';
import {
  createTestPki,
  type IssuedCertificate,
  type KeyType,
  opensslMissing,
} from '../test/helpers/test-pki.ts';
import type { BenchApi, WrkResult } from './throughput-kit.ts';
import {
  alternating,
  benchApi,
  benchDir,
  benchRounds,
  fastMember,
  haproxyInstalled,
  spread,
  startHaproxy,
  wrk,
} from './throughput-kit.ts';
import { fullHandshakes, resumptions } from './tls-clients.ts';

const PASSWORD = 'bench-password';
const MEMBER = '127.0.44.1';
const REFERENCE = '127.0.44.2';
const NAME = 'bench.example.test';
const KEYS = [
  { key: 'rsa-2048', port: 18443, label: 'RSA-2048' },
  { key: 'ec-p256', port: 18444, label: 'ECDSA P-256' },
] as const satisfies readonly { key: KeyType; port: number; label: string }[];
const MODES = [
  { mode: 'handshakes', label: 'new TLS connections/s (Connection: close)' },
  { mode: 'full', label: 'full TLS handshakes/s (s_time -new, 4 clients)' },
  { mode: 'keep-alive', label: 'keep-alive requests/s over TLS' },
] as const;

/** One figure of `mode` against `host:port`. */
function measure(mode: (typeof MODES)[number]['mode'], host: string, port: number): Promise<WrkResult> {
  if (mode === 'full') return fullHandshakes(host, port);
  return wrk(`https://${host}:${port}/`, { headers: mode === 'handshakes' ? ['Connection: close'] : [] });
}

type Target = 'native' | 'haproxy provider' | 'hand-written HAProxy';
type Figure = { key: string; mode: string; round: number; target: Target; result: WrkResult };

/** A PKCS#12 bundle as a secret, stored as the cookbook does: octet-stream, base64. */
const secret = (name: string, bytes: Buffer) => ({
  name,
  payload: bytes.toString('base64'),
  payload_content_type: 'application/octet-stream',
  payload_content_encoding: 'base64',
});

/** One load balancer with a TERMINATED_HTTPS listener per key type, each with an HTTP pool of `member`. */
async function createTlsLoadBalancer(
  api: BenchApi,
  provider: string,
  refs: readonly string[],
  member: { address: string; port: number },
): Promise<{ vip: string; listeners: Record<string, unknown>[] }> {
  const lb = await api.call('POST', '/v2/lbaas/loadbalancers', {
    loadbalancer: {
      vip_subnet_id: api.subnet,
      provider,
      listeners: KEYS.map((k, i) => ({
        protocol: 'TERMINATED_HTTPS',
        protocol_port: k.port,
        default_tls_container_ref: refs[i],
        default_pool: { name: k.key },
      })),
      pools: KEYS.map((k) => ({
        name: k.key,
        protocol: 'HTTP',
        lb_algorithm: 'ROUND_ROBIN',
        members: [{ address: member.address, protocol_port: member.port }],
      })),
    },
  });
  const id = String(lb.loadbalancer.id);
  await api.waitActive(id);
  const listeners = (await api.call('GET', `/v2/lbaas/listeners?loadbalancer_id=${id}`))
    .listeners as unknown as Record<string, unknown>[];
  return { vip: String(lb.loadbalancer.vip_address), listeners };
}

/**
 * The reference: HAProxy on the same certificates and member, with the listener's `tls_ciphers` and
 * `tls_versions` (as Octavia's bind line has them) and one thread; its stats socket tells session reuse.
 */
function referenceConfig(
  dir: string,
  pems: readonly string[],
  listener: Record<string, unknown>,
  member: { address: string; port: number },
): string {
  const versions = listener.tls_versions as string[];
  const off = (['TLSv1.2', 'TLSv1.3'] as const)
    .filter((v) => !versions.includes(v))
    .map((v) => ` no-tlsv${v.slice(4).replace('.', '')}`)
    .join('');
  const bind = (i: number) =>
    `  bind ${REFERENCE}:${KEYS[i].port} ssl crt ${pems[i]} ciphers ${listener.tls_ciphers} ssl-min-ver TLSv1.2${off}\n`;
  return (
    `global\n  maxconn 4000\n  nbthread 1\n  stats socket ${path.join(dir, 'stats.sock')} mode 600 level admin\n` +
    `defaults\n  mode http\n  option http-keep-alive\n` +
    `  timeout connect 5s\n  timeout client 50s\n  timeout server 50s\n` +
    `frontend tls\n${KEYS.map((_, i) => bind(i)).join('')}  default_backend member\n` +
    `backend member\n  http-reuse safe\n  server m ${member.address}:${member.port}\n`
  );
}

/**
 * The TLS session counters of HAProxy's frontends from `show stat typed` on its stats socket: `ssl_sess`
 * (sessions made by a full handshake) and `ssl_reused_sess` (resumed ones), summed over the frontends.
 */
function sslSessions(socket: string): Promise<{ full: number; resumed: number }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const connection = net.connect(socket, () => connection.end('show stat typed\n'));
    connection.setTimeout(5000, () => connection.destroy(new Error('no answer on the stats socket in 5 s')));
    connection.on('data', (chunk) => {
      text += chunk;
    });
    connection.on('error', reject);
    connection.on('close', () => {
      // Lines like `F.2.0.103.ssl_sess.1:MCP:u64:8`: F for a frontend, the field name, its value last.
      const sum = (field: string) =>
        text
          .split('\n')
          .filter((line) => line.startsWith('F.') && line.split(':')[0].split('.')[4] === field)
          .reduce((total, line) => total + Number(line.split(':').at(-1)), 0);
      resolve({ full: sum('ssl_sess'), resumed: sum('ssl_reused_sess') });
    });
  });
}

export async function tlsThroughput(): Promise<void> {
  if (opensslMissing) {
    console.log(`\nTLS throughput: skipped, ${opensslMissing}`);
    return;
  }
  const dir = benchDir();
  const pki = await createTestPki();
  const member = await fastMember(dir, MEMBER, await freePort());
  const server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'native' } });
  let reference: ChildProcess | undefined;
  try {
    const api = await benchApi(server.url, PASSWORD);
    const issued: IssuedCertificate[] = [];
    for (const k of KEYS) issued.push(await pki.server([NAME], 30, k.key));
    const refs: string[] = [];
    for (const [i, c] of issued.entries()) {
      const body = secret(KEYS[i].key, await pki.pkcs12(c));
      refs.push(String((await api.call('POST', '/key-manager/v1/secrets', body)).secret_ref));
    }
    const native = await createTlsLoadBalancer(api, 'native', refs, member);
    const withHaproxy = await haproxyInstalled();
    const provider = withHaproxy ? await createTlsLoadBalancer(api, 'haproxy', refs, member) : undefined;
    if (withHaproxy) {
      // The same bytes the listener serves: leaf, key and the CA as chain, in the one file `crt` takes.
      const pems = issued.map((c, i) => {
        const file = path.join(dir, `${KEYS[i].key}.pem`);
        fs.writeFileSync(file, `${c.certificate}\n${c.privateKey}\n${pki.ca}`);
        return file;
      });
      const config = referenceConfig(dir, pems, native.listeners[0], member);
      reference = await startHaproxy(dir, config, REFERENCE, KEYS[0].port);
    }
    const hosts: Record<Target, string | undefined> = {
      native: native.vip,
      'haproxy provider': provider?.vip,
      'hand-written HAProxy': reference ? REFERENCE : undefined,
    };
    const targets = (Object.keys(hosts) as Target[]).filter((t) => hosts[t] !== undefined);
    const stats = path.join(dir, 'stats.sock');
    const rounds = benchRounds();
    const figures: Figure[] = [];
    let handshakes = 0;
    let resumed = 0;
    for (let round = 0; round < rounds; round += 1) {
      for (const k of KEYS) {
        for (const m of MODES) {
          const before = reference && m.mode === 'handshakes' ? await sslSessions(stats) : undefined;
          const measured = await alternating(round, targets, (t) =>
            measure(m.mode, hosts[t] as string, k.port),
          );
          for (const [target, result] of measured)
            figures.push({ key: k.key, mode: m.mode, round, target, result });
          if (before) {
            // Whether wrk resumes TLS sessions on its new connections (it keeps the session across
            // reconnects), as the reference counted them.
            const after = await sslSessions(stats);
            handshakes += after.full - before.full + after.resumed - before.resumed;
            resumed += after.resumed - before.resumed;
          }
        }
      }
    }
    const probe: string[] = [];
    for (const t of targets)
      probe.push(`${t} ${await resumptions(hosts[t] as string, KEYS[0].port, pki.ca, NAME)}/20`);
    print(figures, rounds, targets, member.kind, handshakes, resumed);
    console.log(
      `TLS 1.3 resumptions of 20 connections in a row, each offering once the newest ticket: ${probe.join(', ')}`,
    );
  } finally {
    reference?.kill();
    member.stop();
    await server.stop();
    await pki.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function print(
  figures: readonly Figure[],
  rounds: number,
  targets: readonly Target[],
  memberKind: string,
  handshakes: number,
  resumed: number,
): void {
  const find = (key: string, mode: string, round: number, target: Target) =>
    figures.find((f) => f.key === key && f.mode === mode && f.round === round && f.target === target)?.result;
  console.log(
    `\nTERMINATED_HTTPS, wrk -t1 -c16 -d5s and openssl s_time (4 clients, 5 s), member: ${memberKind}; reference: hand-written HAProxy, nbthread 1` +
      ' (a native load balancer runs on one Node event loop), same certificate, ciphers and versions;' +
      " the haproxy provider runs HAProxy's default threads (one per CPU)",
  );
  for (let round = 0; round < rounds; round += 1) {
    if (rounds > 1) console.log(`round ${round + 1} of ${rounds}`);
    for (const k of KEYS)
      for (const m of MODES) {
        const ref = find(k.key, m.mode, round, 'hand-written HAProxy');
        for (const target of targets) {
          const r = find(k.key, m.mode, round, target);
          if (!r) continue;
          const ratio =
            ref && target !== 'hand-written HAProxy' ? ` | ${(r.rps / ref.rps).toFixed(2)}× of HAProxy` : '';
          console.log(
            `${`${k.label} ${m.label}`.padEnd(58)}| ${target.padEnd(20)}| ${r.rps.toFixed(0).padStart(6)}/s | p50 ${r.p50.padStart(8)} | p99 ${r.p99.padStart(8)} | errors ${r.errors}${ratio}`,
          );
        }
      }
  }
  if (targets.includes('hand-written HAProxy')) {
    if (handshakes > 0)
      console.log(
        `TLS handshakes of wrk's new connections to the reference: ${handshakes}, of them resumptions: ${resumed} (${((100 * resumed) / handshakes).toFixed(0)}%)`,
      );
    for (const k of KEYS)
      for (const m of MODES)
        for (const target of targets.filter((t) => t !== 'hand-written HAProxy')) {
          const ratios = figures
            .filter((f) => f.key === k.key && f.mode === m.mode && f.target === target)
            .map(
              (f) => f.result.rps / (find(k.key, m.mode, f.round, 'hand-written HAProxy')?.rps ?? Number.NaN),
            );
          console.log(
            `${`${target} / HAProxy, ${k.label} ${m.label}`.padEnd(90)} over ${rounds} round(s): ${spread(ratios)}${target === 'native' ? ` (goal ≥ 0.80×)` : ''}`,
          );
        }
  }
}
