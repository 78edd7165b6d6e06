// Golden files for the haproxy renderer (test/golden/haproxy/<case>.cfg; SLUICE_UPDATE_GOLDEN=1 rewrites them),
// each one also checked by `haproxy -c`, plus the render rules that are easier to state than to diff.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestPki, opensslMissing, type TestPki } from '../../../test/helpers/test-pki.ts';
import { GOLDEN_ACCESS_LOG_SOCKET, GOLDEN_CASES, GOLDEN_PATHS } from './golden-cases.ts';
import {
  haproxyCheck,
  listener,
  loadBalancer,
  member,
  pool,
  skipWithoutHaproxy,
} from './haproxy-test-fixtures.ts';
import { renderHaproxy, renderHaproxyConfig } from './render-config.ts';
import { certificatePem, type TlsFileKind } from './tls-files.ts';

const GOLDEN_DIR = path.resolve(import.meta.dirname, '../../../test/golden/haproxy');
const render = (name: string) =>
  renderHaproxyConfig(GOLDEN_CASES[name], { paths: GOLDEN_PATHS, accessLogSocket: GOLDEN_ACCESS_LOG_SOCKET });

/** HAProxy's warnings and alerts, minus the missing server-state file (the golden paths do not exist). */
const complaints = (output: string) =>
  output.split('\n').filter((l) => /^\[(WARNING|ALERT)\]/.test(l) && !l.includes('server state file'));

describe('haproxy renderer golden files', () => {
  let pki: TestPki | undefined;
  const checkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-golden-tls-'));
  before(async () => {
    if (!opensslMissing) pki = await createTestPki();
  });
  after(async () => {
    await pki?.remove();
    fs.rmSync(checkDir, { recursive: true, force: true });
  });

  /**
   * The golden file as `haproxy -c` can load it: golden documents carry placeholder PEM text (stable file names),
   * so their certificate files are written here with real test-pki material of the same kind, under the names
   * the golden file uses, and the golden TLS directory is pointed at them.
   */
  async function checkable(name: string, file: string): Promise<string> {
    const { files } = renderHaproxy(GOLDEN_CASES[name], { paths: GOLDEN_PATHS });
    if (files.size === 0 || !pki) return file;
    const server = await pki.server(['golden.example']);
    const real: Record<TlsFileKind, string> = {
      pem: certificatePem({ ...server, intermediates: [pki.ca], names: [], notAfter: '' }),
      ca: pki.ca,
      crl: await pki.crl([]),
      'crt-list': '',
    };
    const dir = fs.mkdtempSync(path.join(checkDir, `${name}-`));
    for (const [base, content] of files) {
      const kind = path.extname(base).slice(1) as TlsFileKind;
      const text = kind === 'crt-list' ? content.replaceAll(GOLDEN_PATHS.tlsDir, dir) : real[kind];
      fs.writeFileSync(path.join(dir, base), text);
    }
    const copy = path.join(dir, `${name}.cfg`);
    fs.writeFileSync(copy, fs.readFileSync(file, 'utf8').replaceAll(GOLDEN_PATHS.tlsDir, dir));
    return copy;
  }

  for (const name of Object.keys(GOLDEN_CASES)) {
    const file = path.join(GOLDEN_DIR, `${name}.cfg`);
    it(`renders the ${name} document exactly as ${name}.cfg`, () => {
      if (process.env.SLUICE_UPDATE_GOLDEN === '1') fs.writeFileSync(file, render(name));
      assert.equal(render(name), fs.readFileSync(file, 'utf8'));
    });
    it(`has haproxy -c accept ${name}.cfg without warnings`, {
      skip: skipWithoutHaproxy || opensslMissing,
    }, async () => {
      const result = haproxyCheck(await checkable(name, file));
      assert.ok(result.ok, result.output);
      assert.deepEqual(complaints(result.output), []);
    });
  }
});

describe('haproxy renderer rules', () => {
  const paths = GOLDEN_PATHS;
  it('renders the same text for the same document, whatever its revision', () => {
    const doc = GOLDEN_CASES['l7-policies'];
    assert.equal(
      renderHaproxyConfig(doc, { paths }),
      renderHaproxyConfig({ ...doc, revision: 99 }, { paths }),
    );
  });

  it('sums listener limits into the global maxconn and keeps it under the given cap', () => {
    const doc = loadBalancer(
      'lb',
      '127.0.0.1',
      [listener('a', 80, { connectionLimit: 10 }), listener('b', 81)],
      [],
    );
    assert.match(renderHaproxyConfig(doc, { paths }), /^ {4}maxconn 50010$/m);
    assert.match(renderHaproxyConfig(doc, { paths, maxConnCap: 4000 }), /^ {4}maxconn 4000$/m);
  });

  it('binds every VIP address of the load balancer on each listener port', () => {
    const text = render('tcp-proxy-limits');
    assert.match(text, /bind 203\.0\.113\.10:5432\n {4}bind ipv6@2001:db8::10:5432\n/);
  });

  it('rejects every connection when no source is admitted, and filters none when the sources are null', () => {
    const text = (allowedCidrs: readonly string[] | null) =>
      renderHaproxyConfig(loadBalancer('lb', '127.0.0.1', [listener('l', 80, { allowedCidrs })], []), {
        paths,
      });
    assert.match(text([]), /^ {4}tcp-request connection reject\n/m);
    assert.doesNotMatch(text(null), /tcp-request connection reject|sluice:allowed-cidr/);
    assert.match(text(['127.0.0.0/8']), /tcp-request connection reject if !sluice:allowed-cidr/);
  });

  it('renders neither frontends nor backends for a disabled load balancer', () => {
    assert.doesNotMatch(render('load-balancer-disabled'), /^(frontend|backend) /m);
  });

  it('skips disabled listeners and pools, and L7 redirects to disabled pools', () => {
    const text = render('disabled-objects');
    assert.doesNotMatch(text, /listener-off|pool-off/);
    assert.match(text, /^frontend listener-on\n(?: {4}.*\n)*\n/m);
    assert.doesNotMatch(text, /default_backend pool-off/);
  });

  it('orders L7 rules as HAProxy evaluates them: deny, then redirects, then use_backend', () => {
    const text = render('l7-policies');
    const deny = text.indexOf('http-request deny');
    const redirect = text.indexOf('redirect location');
    const prefix = text.indexOf('redirect prefix');
    const pool = text.indexOf('use_backend');
    assert.ok(deny < redirect && redirect < prefix && prefix < pool, text);
    assert.doesNotMatch(text, /rule-off|rule-x|policy-no-rules/);
  });

  it('names certificate files by a hash of their content and refuses a TLS directory a crt-list cannot name', () => {
    const doc = GOLDEN_CASES['terminated-https'];
    const { files } = renderHaproxy(doc, { paths });
    for (const [name, content] of files) {
      assert.equal(
        name,
        `${createHash('sha256').update(content).digest('hex').slice(0, 40)}${path.extname(name)}`,
      );
    }
    assert.deepEqual([...files.keys()].map((n) => path.extname(n)).sort(), [
      '.ca',
      '.ca',
      '.crl',
      '.crl',
      '.crt-list',
      '.crt-list',
      '.pem',
      '.pem',
      '.pem',
      '.pem',
    ]);
    assert.throws(
      () => renderHaproxy(doc, { paths: { ...paths, tlsDir: '/run/with space/tls' } }),
      /certificate path '\/run\/with space\/tls\/[0-9a-f]{40}\.pem' cannot be listed in a crt-list/,
    );
  });

  it('names servers by member id in a backend named <pool>:<listener>', () => {
    const doc = loadBalancer(
      'lb',
      '127.0.0.1',
      [listener('l1', 80, { defaultPoolId: 'p1' })],
      [pool('p1', [member('m1', '127.0.0.2', 8080)])],
    );
    assert.match(
      renderHaproxyConfig(doc, { paths }),
      /^backend p1:l1\n(?: {4}.*\n)* {4}server m1 127\.0\.0\.2:8080 weight 1\n/m,
    );
  });
});
