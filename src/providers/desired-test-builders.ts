// Desired-state builders for data-plane tests, with Octavia's defaults and explicit ids: every provider's
// tests build their documents from these (the haproxy golden files need stable ids; native's fixtures add
// generated ones).
import {
  DEFAULT_TIMEOUTS,
  type DesiredHealthMonitor,
  type DesiredL7Policy,
  type DesiredL7Rule,
  type DesiredListener,
  type DesiredLoadBalancer,
  type DesiredMember,
  type DesiredPool,
} from '../model/desired-state.ts';

export function member(
  id: string,
  address: string,
  port: number,
  extra: Partial<DesiredMember> = {},
): DesiredMember {
  return {
    id,
    address,
    protocolPort: port,
    weight: 1,
    backup: false,
    adminStateUp: true,
    monitorAddress: null,
    monitorPort: null,
    subnetId: null,
    ...extra,
  };
}

export function pool(id: string, members: DesiredMember[], extra: Partial<DesiredPool> = {}): DesiredPool {
  return {
    id,
    protocol: 'HTTP',
    lbAlgorithm: 'ROUND_ROBIN',
    adminStateUp: true,
    sessionPersistence: null,
    tls: {
      enabled: false,
      containerRef: null,
      caContainerRef: null,
      crlContainerRef: null,
      ciphers: null,
      versions: [],
      alpnProtocols: [],
      material: null,
    },
    members,
    healthMonitor: null,
    ...extra,
  };
}

export function monitor(id: string, extra: Partial<DesiredHealthMonitor> = {}): DesiredHealthMonitor {
  return {
    id,
    type: 'HTTP',
    delay: 5,
    timeout: 3,
    maxRetries: 2,
    maxRetriesDown: 3,
    httpMethod: 'GET',
    urlPath: '/',
    expectedCodes: '200',
    httpVersion: null,
    domainName: null,
    adminStateUp: true,
    ...extra,
  };
}

export function listener(id: string, port: number, extra: Partial<DesiredListener> = {}): DesiredListener {
  return {
    id,
    protocol: 'HTTP',
    protocolPort: port,
    adminStateUp: true,
    connectionLimit: -1,
    defaultPoolId: null,
    timeouts: DEFAULT_TIMEOUTS,
    insertHeaders: {},
    allowedCidrs: null,
    tls: {
      defaultContainerRef: null,
      sniContainerRefs: [],
      clientCaContainerRef: null,
      clientAuthentication: 'NONE',
      clientCrlContainerRef: null,
      ciphers: null,
      versions: [],
      alpnProtocols: [],
      material: null,
      hsts: null,
    },
    l7policies: [],
    ...extra,
  };
}

export function policy(
  id: string,
  rules: DesiredL7Rule[],
  extra: Partial<DesiredL7Policy> = {},
): DesiredL7Policy {
  return {
    id,
    action: 'REJECT',
    position: 1,
    adminStateUp: true,
    redirectPoolId: null,
    redirectUrl: null,
    redirectPrefix: null,
    redirectHttpCode: null,
    rules,
    ...extra,
  };
}

export function rule(id: string, extra: Partial<DesiredL7Rule> = {}): DesiredL7Rule {
  return {
    id,
    type: 'PATH',
    compareType: 'STARTS_WITH',
    key: null,
    value: '/',
    invert: false,
    adminStateUp: true,
    ...extra,
  };
}

export function loadBalancer(
  id: string,
  vip: string,
  listeners: DesiredListener[],
  pools: DesiredPool[],
  extra: Partial<DesiredLoadBalancer> = {},
): DesiredLoadBalancer {
  return {
    id,
    revision: 1,
    adminStateUp: true,
    topology: 'SINGLE',
    vip: { address: vip, networkId: 'net', subnetId: 'subnet', portId: 'port', additional: [] },
    listeners,
    pools,
    ...extra,
  };
}
