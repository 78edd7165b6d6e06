// The limits at the API's edge, with their exact wire answers in each family's fault body: the 112 KiB
// body cap (413), bounded JSON nesting (400), 32-bit integers, NUL in names, null envelopes, undecodable
// or over-long URLs, and a request line too long for Node's parser on a real socket.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
const TOO_LARGE = 'Request is too large. Larger than max_request_body_size (114688).';
const octaviaFault = (faultstring: string) => ({ faultcode: 'Client', faultstring, debuginfo: null });

describe('request limits at the edge', () => {
  before(async () => {
    api = await startTestApi();
  });
  after(async () => {
    await api.close();
  });

  it("refuses a body over 114,688 bytes with 413 in each family's fault body", async () => {
    const body = JSON.stringify({ x: 'y'.repeat(114_688) });
    // Octavia: oslo.middleware's limiter in front of the app answers with WebOb's page, JSON for a JSON client.
    const octavia = await api.app.inject({
      method: 'POST',
      url: '/v2/lbaas/loadbalancers',
      headers: {
        'x-auth-token': api.adminToken,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      payload: body,
    });
    assert.equal(octavia.statusCode, 413);
    assert.equal(
      octavia.body,
      `{"message": "${TOO_LARGE}<br /><br />\\n\\n\\n", "code": "413 Request Entity Too Large", "title": "Request Entity Too Large"}`,
    );
    const plain = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, body);
    assert.deepEqual(
      [plain.statusCode, plain.headers['content-type'], plain.body],
      [413, 'text/plain; charset=UTF-8', `413 Request Entity Too Large\n\n${TOO_LARGE}\n\n   `],
    );
    const neutron = await api.call('POST', '/v2.0/networks', api.adminToken, body);
    assert.equal(neutron.statusCode, 413);
    assert.deepEqual(neutron.json(), {
      NeutronError: { type: 'RequestEntityTooLarge', message: TOO_LARGE, detail: '' },
    });
    const keystone = await api.call('POST', '/v3/auth/tokens', undefined, body);
    assert.equal(keystone.statusCode, 413);
    assert.deepEqual(keystone.json(), {
      error: { code: 413, title: 'Request Entity Too Large', message: TOO_LARGE },
    });
  });

  it('refuses JSON nested 100,000 deep for its size, and 50,000 deep with a 400, also on /v3/auth/tokens', async () => {
    const huge = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.equal((await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, huge)).statusCode, 413);
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const octavia = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, deep);
    assert.equal(octavia.statusCode, 400);
    assert.deepEqual(octavia.json(), octaviaFault('Request body nests deeper than 64 levels.'));
    const keystone = await api.call('POST', '/v3/auth/tokens', undefined, `{"auth": ${deep}}`);
    assert.equal(keystone.statusCode, 400);
    assert.equal(keystone.json().error.message, 'Request body nests deeper than 64 levels.');
  });

  it('answers `{"loadbalancer": null}` as a missing load balancer, not a 500', async () => {
    const response = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: null,
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(
      response.json(),
      octaviaFault("Invalid input for field/attribute loadbalancer. Value: 'None'. Mandatory field missing."),
    );
  });

  it('bounds integers by the 32-bit INTEGER columns with WSME wording', async () => {
    const lb = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    await api.provisioner.idle();
    const loadbalancer_id = lb.json().loadbalancer.id;
    const pool = await api.call('POST', '/v2/lbaas/pools', api.adminToken, {
      pool: { loadbalancer_id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
    });
    await api.provisioner.idle();
    const monitor = await api.call(
      'POST',
      '/v2/lbaas/healthmonitors',
      api.adminToken,
      `{"healthmonitor": {"pool_id": "${pool.json().pool.id}", "type": "TCP", "delay": 9007199254740992, "timeout": 1, "max_retries": 1}}`,
    );
    assert.equal(monitor.statusCode, 400);
    assert.deepEqual(
      monitor.json(),
      octaviaFault(
        // WSME's IntegerType.validate words it without a final period (wsme/types.py).
        "Invalid input for field/attribute delay. Value: '9007199254740992'. Value should be lower or equal to 2147483647",
      ),
    );
    const listener = await api.call(
      'POST',
      '/v2/lbaas/listeners',
      api.adminToken,
      `{"listener": {"loadbalancer_id": "${loadbalancer_id}", "protocol": "TCP", "protocol_port": 80, "connection_limit": 9223372036854775808}}`,
    );
    assert.equal(listener.statusCode, 400);
    assert.equal(
      listener.json().faultstring,
      "Invalid input for field/attribute connection_limit. Value: '9223372036854775808'. Value should be lower or equal to 2147483647",
    );
  });

  it('answers a null member address as missing, alone and in a graph create', async () => {
    const missing = "Invalid input for field/attribute address. Value: 'None'. Mandatory field missing.";
    const graph = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: {
        vip_subnet_id: api.publicSubnetId,
        pools: [
          {
            name: 'p',
            protocol: 'HTTP',
            lb_algorithm: 'ROUND_ROBIN',
            members: [{ address: null, protocol_port: 80 }],
          },
        ],
      },
    });
    assert.equal(graph.statusCode, 400);
    assert.deepEqual(graph.json(), octaviaFault(missing));
  });

  it('refuses NUL in a name', async () => {
    const response = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, name: 'a\u0000b' },
    });
    assert.equal(response.statusCode, 400);
    assert.equal(
      response.json().faultstring,
      "Invalid input for field/attribute name. Value: 'a\u0000b'. Value should not contain NUL characters",
    );
  });

  it("answers undecodable and over-long path segments in the family's fault body", async () => {
    const bad = await api.call('GET', '/v2/lbaas/loadbalancers/%ZZ', api.adminToken);
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), octaviaFault('The request URL is not valid: malformed percent-encoding.'));
    const long = await api.call('GET', `/v2.0/networks/${'x'.repeat(300)}`, api.adminToken);
    assert.equal(long.statusCode, 404);
    assert.equal(long.json().NeutronError.type, 'NetworkNotFound');
    const tooLong = await api.call('GET', `/v3/projects/${'x'.repeat(2_000)}`, api.adminToken);
    assert.equal(tooLong.statusCode, 414);
    assert.deepEqual(tooLong.json(), {
      error: { code: 414, title: 'Request-URI Too Long', message: 'Request URI Too Long' },
    });
  });

  it("answers a query string too long for Node's HTTP parser in the family's fault body, on a real socket", async () => {
    const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write(
        `GET /v2/lbaas/loadbalancers?name=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
      );
    });
    const [head, body] = raw.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 431 /);
    assert.deepEqual(JSON.parse(body), octaviaFault('Request Header Fields Too Large'));
  });
});

describe('a raised body cap (--max-request-body-size)', () => {
  let raised: TestApi;
  before(async () => {
    raised = await startTestApi({ maxRequestBodySize: 1_048_576 });
  });
  after(async () => {
    await raised.close();
  });

  it('takes a body over the default cap and refuses one over the raised cap, naming it', async () => {
    const over = (bytes: number) => JSON.stringify({ x: 'y'.repeat(bytes) });
    const taken = await raised.call('POST', '/v2/lbaas/loadbalancers', raised.adminToken, over(200_000));
    // Past the cap the body is read and judged by the API: an unknown attribute, not a 413.
    assert.equal(taken.statusCode, 400, taken.body);
    const refused = await raised.call('POST', '/v2.0/networks', raised.adminToken, over(1_048_576));
    assert.equal(refused.statusCode, 413);
    assert.deepEqual(refused.json(), {
      NeutronError: {
        type: 'RequestEntityTooLarge',
        message: 'Request is too large. Larger than max_request_body_size (1048576).',
        detail: '',
      },
    });
  });
});
