// The representative documents behind test/golden/haproxy/*.cfg: one per area of reference §12 (basic HTTP, L7,
// algorithms and persistence, health monitors, TCP/PROXY/limits, disabled objects). Test data only.
import type { DesiredLoadBalancer, DesiredMember } from '../../model/desired-state.ts';
import { listener, loadBalancer, member, monitor, policy, pool, rule } from './haproxy-test-fixtures.ts';
import { pemCertificate, placeholderPem, reencryptingTls, terminatedTls } from './tls-test-material.ts';

const LB = 'c4a0e1f6-1d7e-4a53-9c52-1b2f6a3d9e01';
const VIP = '203.0.113.10';
const m = (id: string, last: number, extra: Partial<DesiredMember> = {}) =>
  member(id, `10.0.0.${last}`, 8080, extra);
const placeholderCertificate = (name: string) =>
  pemCertificate(
    { certificate: placeholderPem(`CERTIFICATE ${name}`), privateKey: placeholderPem(`PRIVATE KEY ${name}`) },
    [name],
    [placeholderPem('CERTIFICATE intermediate')],
  );
const persistence = (type: string, cookieName: string | null = null) => ({
  type,
  cookieName,
  persistenceTimeout: null,
  persistenceGranularity: null,
});

export const GOLDEN_CASES: Readonly<Record<string, DesiredLoadBalancer>> = {
  'http-basic': loadBalancer(
    LB,
    VIP,
    [listener('listener-1', 80, { defaultPoolId: 'pool-1', insertHeaders: { 'X-Forwarded-For': 'true' } })],
    [pool('pool-1', [m('member-1', 5), m('member-2', 6)])],
  ),
  'l7-policies': loadBalancer(
    LB,
    VIP,
    [
      listener('listener-1', 80, {
        defaultPoolId: 'pool-1',
        insertHeaders: { 'X-Forwarded-For': 'true', 'X-Forwarded-Port': 'true', 'X-Forwarded-Proto': 'True' },
        l7policies: [
          policy('policy-pool', [rule('rule-path', { value: '/api' })], {
            action: 'REDIRECT_TO_POOL',
            redirectPoolId: 'pool-2',
            position: 1,
          }),
          policy(
            'policy-url',
            [
              rule('rule-host', {
                type: 'HOST_NAME',
                compareType: 'ENDS_WITH',
                value: '.old.example',
                invert: true,
              }),
            ],
            { action: 'REDIRECT_TO_URL', redirectUrl: 'https://new.example/welcome?a=1%202', position: 2 },
          ),
          policy(
            'policy-prefix',
            [
              rule('rule-file', { type: 'FILE_TYPE', compareType: 'EQUAL_TO', value: 'jpg' }),
              rule('rule-cookie', { type: 'COOKIE', key: 'beta', compareType: 'CONTAINS', value: 'yes' }),
            ],
            {
              action: 'REDIRECT_PREFIX',
              redirectPrefix: 'https://img.example/',
              redirectHttpCode: 301,
              position: 3,
            },
          ),
          policy(
            'policy-reject',
            [
              rule('rule-header', {
                type: 'HEADER',
                key: 'X-Agent',
                compareType: 'REGEX',
                value: '^bad[0-9]+ bot$',
              }),
              rule('rule-off', { adminStateUp: false, value: '/never' }),
            ],
            { action: 'REJECT', position: 4 },
          ),
          policy('policy-disabled', [rule('rule-x', { value: '/x' })], { adminStateUp: false, position: 5 }),
          policy('policy-no-rules', [], { position: 6 }),
        ],
      }),
    ],
    [pool('pool-1', [m('member-1', 5)]), pool('pool-2', [m('member-2', 6)])],
  ),
  'algorithms-persistence': loadBalancer(
    LB,
    VIP,
    [
      listener('listener-1', 80, { defaultPoolId: 'pool-lc' }),
      listener('listener-2', 81, { defaultPoolId: 'pool-src' }),
      listener('listener-3', 82, { defaultPoolId: 'pool-app' }),
    ],
    [
      pool(
        'pool-lc',
        [
          m('member-1', 5, { weight: 3 }),
          m('member-2', 6, { weight: 0 }),
          m('member-3', 7, { backup: true }),
        ],
        {
          lbAlgorithm: 'LEAST_CONNECTIONS',
          sessionPersistence: persistence('HTTP_COOKIE'),
        },
      ),
      pool('pool-src', [m('member-4', 8), m('member-5', 9, { adminStateUp: false })], {
        lbAlgorithm: 'SOURCE_IP',
        sessionPersistence: persistence('SOURCE_IP'),
      }),
      pool('pool-app', [m('member-6', 10), m('member-7', 11)], {
        lbAlgorithm: 'SOURCE_IP_PORT',
        sessionPersistence: persistence('APP_COOKIE', 'JSESSIONID'),
      }),
    ],
  ),
  'health-monitors': loadBalancer(
    LB,
    VIP,
    [
      listener('listener-http', 80, { defaultPoolId: 'pool-http' }),
      listener('listener-https', 443, { protocol: 'HTTPS', defaultPoolId: 'pool-https' }),
      listener('listener-tcp', 22, { protocol: 'TCP', defaultPoolId: 'pool-tcp' }),
      listener('listener-tls', 8443, { protocol: 'HTTPS', defaultPoolId: 'pool-tls' }),
      listener('listener-ping', 9000, { protocol: 'TCP', defaultPoolId: 'pool-ping' }),
      listener('listener-off', 9001, { protocol: 'TCP', defaultPoolId: 'pool-off' }),
    ],
    [
      pool('pool-http', [m('member-1', 5, { monitorAddress: '10.0.1.5', monitorPort: 9090 })], {
        healthMonitor: monitor('hm-http', {
          httpMethod: 'HEAD',
          urlPath: '/healthz?full=1',
          expectedCodes: '200-204',
          httpVersion: 1.1,
          domainName: 'app.example',
        }),
      }),
      pool('pool-https', [m('member-2', 6)], {
        protocol: 'HTTPS',
        healthMonitor: monitor('hm-https', { type: 'HTTPS', expectedCodes: '200, 302', httpVersion: 1.1 }),
      }),
      pool('pool-tcp', [m('member-3', 7)], {
        protocol: 'TCP',
        healthMonitor: monitor('hm-tcp', {
          type: 'TCP',
          delay: 1,
          timeout: 0,
          maxRetries: 1,
          maxRetriesDown: 1,
        }),
      }),
      pool('pool-tls', [m('member-4', 8)], {
        protocol: 'HTTPS',
        healthMonitor: monitor('hm-tls', { type: 'TLS-HELLO' }),
      }),
      pool('pool-ping', [m('member-5', 9)], {
        protocol: 'TCP',
        healthMonitor: monitor('hm-ping', { type: 'PING' }),
      }),
      pool('pool-off', [m('member-6', 10)], {
        protocol: 'TCP',
        healthMonitor: monitor('hm-off', { type: 'TCP', adminStateUp: false }),
      }),
    ],
  ),
  'tcp-proxy-limits': loadBalancer(
    LB,
    VIP,
    [
      listener('listener-tcp', 5432, {
        protocol: 'TCP',
        connectionLimit: 200,
        defaultPoolId: 'pool-proxy',
        allowedCidrs: ['192.0.2.0/24', '198.51.100.7/32'],
        timeouts: { clientData: 600000, memberConnect: 2000, memberData: 600000, tcpInspect: 500 },
      }),
      listener('listener-http', 80, { connectionLimit: 1000, defaultPoolId: 'pool-proxy2' }),
    ],
    [
      pool('pool-proxy', [m('member-1', 5)], { protocol: 'PROXY' }),
      pool('pool-proxy2', [m('member-2', 6)], { protocol: 'PROXYV2' }),
    ],
    {
      vip: {
        address: VIP,
        networkId: 'n',
        subnetId: 's',
        portId: 'p',
        additional: [{ address: '2001:db8::10', subnetId: 's6' }],
      },
    },
  ),
  'disabled-objects': loadBalancer(
    LB,
    VIP,
    [
      listener('listener-on', 80, { defaultPoolId: 'pool-off' }),
      listener('listener-off', 81, { adminStateUp: false, defaultPoolId: 'pool-on' }),
      listener('listener-pool-on', 82, {
        defaultPoolId: 'pool-on',
        l7policies: [
          policy('policy-to-off', [rule('rule-1', { value: '/off' })], {
            action: 'REDIRECT_TO_POOL',
            redirectPoolId: 'pool-off',
          }),
        ],
      }),
    ],
    [pool('pool-on', [m('member-1', 5)]), pool('pool-off', [m('member-2', 6)], { adminStateUp: false })],
  ),
  'terminated-https': loadBalancer(
    LB,
    VIP,
    [
      listener('listener-tls', 443, {
        protocol: 'TERMINATED_HTTPS',
        defaultPoolId: 'pool-reencrypt',
        insertHeaders: {
          'X-Forwarded-For': 'true',
          'X-Forwarded-Proto': 'true',
          'X-SSL-Client-Verify': 'true',
          'X-SSL-Client-Has-Cert': 'true',
          'X-SSL-Client-DN': 'true',
          'X-SSL-Client-CN': 'true',
          'X-SSL-Issuer': 'true',
          'X-SSL-Client-SHA1': 'true',
          'X-SSL-Client-Not-Before': 'true',
          'X-SSL-Client-Not-After': 'false',
        },
        tls: terminatedTls(
          {
            defaultCertificate: placeholderCertificate('www.example'),
            sniCertificates: [placeholderCertificate('api.example'), placeholderCertificate('img.example')],
            clientCa: placeholderPem('CERTIFICATE client-ca'),
            clientCrl: placeholderPem('X509 CRL client-ca'),
          },
          {
            clientAuthentication: 'MANDATORY',
            hsts: { maxAge: 31536000, includeSubdomains: true, preload: true },
          },
        ),
        l7policies: [
          policy(
            'policy-cert',
            [
              rule('rule-has-cert', { type: 'SSL_CONN_HAS_CERT', compareType: 'EQUAL_TO', value: 'True' }),
              rule('rule-verify', {
                type: 'SSL_VERIFY_RESULT',
                compareType: 'EQUAL_TO',
                value: '0',
                invert: true,
              }),
            ],
            { action: 'REJECT', position: 1 },
          ),
          policy(
            'policy-dn',
            [
              rule('rule-dn', {
                type: 'SSL_DN_FIELD',
                key: 'OU',
                compareType: 'STARTS_WITH',
                value: 'Ops team',
              }),
            ],
            { action: 'REDIRECT_TO_POOL', redirectPoolId: 'pool-unverified', position: 2 },
          ),
        ],
      }),
      listener('listener-proxy', 8443, {
        protocol: 'TERMINATED_HTTPS',
        defaultPoolId: 'pool-proxy',
        tls: terminatedTls(
          {
            defaultCertificate: placeholderCertificate('www.example'),
            sniCertificates: [],
            clientCa: null,
            clientCrl: null,
          },
          { ciphers: null, versions: ['TLSv1.2'], alpnProtocols: ['http/1.1'] },
        ),
      }),
    ],
    [
      pool('pool-reencrypt', [m('member-1', 5), m('member-2', 6)], {
        healthMonitor: monitor('hm-https', { type: 'HTTPS', urlPath: '/health' }),
        tls: reencryptingTls({
          clientCertificate: placeholderCertificate('lb-client.example'),
          ca: placeholderPem('CERTIFICATE member-ca'),
          crl: placeholderPem('X509 CRL member-ca'),
        }),
      }),
      pool('pool-proxy', [m('member-4', 8)], { protocol: 'PROXYV2' }),
      pool('pool-unverified', [m('member-3', 7)], {
        tls: reencryptingTls(
          { clientCertificate: null, ca: null, crl: null },
          { ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', versions: ['TLSv1.3'], alpnProtocols: ['http/1.1'] },
        ),
      }),
    ],
  ),
  'load-balancer-disabled': loadBalancer(
    LB,
    VIP,
    [listener('listener-1', 80, { defaultPoolId: 'pool-1' })],
    [pool('pool-1', [m('member-1', 5)])],
    { adminStateUp: false },
  ),
  // A PROMETHEUS listener beside a served one: its frontend hands scrapes to the provider's socket.
  'prometheus-listener': loadBalancer(
    LB,
    VIP,
    [
      listener('listener-1', 80, { defaultPoolId: 'pool-1' }),
      listener('listener-metrics', 9100, { protocol: 'PROMETHEUS', allowedCidrs: ['192.0.2.0/24'] }),
    ],
    [pool('pool-1', [m('member-1', 5)])],
  ),
};

/** Fixed run paths, so golden files do not depend on where a test runs. */
export const GOLDEN_PATHS = {
  statsSocket: `/var/lib/sluice/haproxy/${LB}/stats.sock`,
  serverStateFile: `/var/lib/sluice/haproxy/${LB}/servers-state`,
  pingScript: `/var/lib/sluice/haproxy/${LB}/ping-check.sh`,
  tlsDir: `/var/lib/sluice/haproxy/${LB}/tls`,
  metricsSocket: `/var/lib/sluice/haproxy/${LB}/metrics.sock`,
} as const;

/** A fixed access log socket for golden files (the provider opens one per load balancer). */
export const GOLDEN_ACCESS_LOG_SOCKET = `/var/lib/sluice/haproxy/${LB}/log.sock`;
