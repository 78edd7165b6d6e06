// Behaviour of `sluice status` rendering: the tree's shape and statuses, colours only when asked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colourStatus, renderStatusTree, type StatusTree } from './status-tree.ts';

const tree: StatusTree = {
  loadbalancer: {
    id: 'lb1',
    name: 'web',
    provisioning_status: 'ACTIVE',
    operating_status: 'DEGRADED',
    listeners: [
      {
        id: 'l1',
        name: 'http',
        provisioning_status: 'ACTIVE',
        operating_status: 'ONLINE',
        pools: [
          {
            id: 'p1',
            name: '',
            provisioning_status: 'ACTIVE',
            operating_status: 'DEGRADED',
            health_monitor: {
              id: 'h1',
              type: 'HTTP',
              provisioning_status: 'ACTIVE',
              operating_status: 'ONLINE',
            },
            members: [
              {
                id: 'm1',
                name: 'a',
                address: '127.0.0.1',
                protocol_port: 81,
                provisioning_status: 'ACTIVE',
                operating_status: 'ERROR',
              },
            ],
          },
        ],
      },
    ],
  },
};

describe('renderStatusTree', () => {
  it('draws load balancer → listeners → pools → health monitor and members with both statuses', () => {
    assert.equal(
      renderStatusTree(tree, false),
      [
        'loadbalancer web (lb1)  ACTIVE / DEGRADED',
        '└── listener http (l1)  ACTIVE / ONLINE',
        '    └── pool p1  ACTIVE / DEGRADED',
        '        ├── healthmonitor h1 HTTP  ACTIVE / ONLINE',
        '        └── member a (m1) 127.0.0.1:81  ACTIVE / ERROR',
        '',
      ].join('\n'),
    );
  });

  it('colours green, red and yellow only when asked, and never otherwise', () => {
    assert.equal(colourStatus('ONLINE', true), '\x1b[32mONLINE\x1b[0m');
    assert.equal(colourStatus('ERROR', true), '\x1b[31mERROR\x1b[0m');
    assert.equal(colourStatus('PENDING_UPDATE', true), '\x1b[33mPENDING_UPDATE\x1b[0m');
    assert.equal(colourStatus('NO_MONITOR', true), '\x1b[33mNO_MONITOR\x1b[0m');
    assert.ok(!renderStatusTree(tree, false).includes('\x1b'));
    assert.ok(renderStatusTree(tree, true).includes('\x1b[31mERROR'));
  });
});
