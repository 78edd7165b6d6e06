// Session persistence by traffic: SOURCE_IP, HTTP_COOKIE (inserted SRV), APP_COOKIE (learned).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DesiredMember, DesiredPool } from '../../../model/desired-state.ts';
import { NativeProvider } from '../native-provider.ts';
import {
  type Backend,
  freePort,
  httpBackend,
  listener,
  loadBalancer,
  ManualHealth,
  member,
  pool,
  request,
} from '../native-test-fixtures.ts';

const VIP = '127.0.20.6';

const persistence = (type: string, cookieName: string | null = null) => ({
  type,
  cookieName,
  persistenceTimeout: null,
  persistenceGranularity: null,
});

describe('native provider, session persistence', () => {
  const health = new ManualHealth();
  const provider = new NativeProvider({ healthFactory: () => health });
  const backends: Backend[] = [];
  before(async () => {
    for (const name of ['a', 'b', 'c']) {
      let n = 0;
      backends.push(
        await httpBackend(`127.0.15.${backends.length + 1}`, name, (req, res) => {
          if (req.url !== '/login') return false;
          res.setHeader('set-cookie', [`JSESSIONID=${name}-${++n}; Path=/`, 'other=1']);
          res.end(name);
          return true;
        }),
      );
    }
  });
  after(async () => {
    await provider.close();
    await Promise.all(backends.map((b) => b.close()));
  });

  async function serve(extra: Partial<DesiredPool>, members?: DesiredMember[]) {
    const port = await freePort(VIP);
    const p = pool(members ?? backends.map((b) => member(b.address, b.port)), extra);
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    return { port, lb, p };
  }

  it('SOURCE_IP keeps a client on its member under round robin, and moves it when that member fails', async () => {
    const { port, lb, p } = await serve({ sessionPersistence: persistence('SOURCE_IP') });
    const from = (address: string) => request(VIP, port, '/', {}, { localAddress: address });
    const first = (await from('127.0.44.1')).body;
    const second = (await from('127.0.44.2')).body;
    for (let i = 0; i < 4; i++) {
      assert.equal((await from('127.0.44.1')).body, first);
      assert.equal((await from('127.0.44.2')).body, second);
    }
    const stuck = p.members.find((m) => m.address === backends.find((b) => b.name === first)?.address);
    health.down.add(stuck?.id ?? '');
    try {
      const moved = (await from('127.0.44.1')).body;
      assert.notEqual(moved, first);
      assert.equal((await from('127.0.44.1')).body, moved);
    } finally {
      health.down.clear();
    }
    await provider.remove(lb.id);
  });

  it('HTTP_COOKIE inserts SRV=<member id>, follows it, and hides it from the member', async () => {
    const { port, lb, p } = await serve({ sessionPersistence: persistence('HTTP_COOKIE') });
    const first = await request(VIP, port);
    const setCookie = first.headers['set-cookie'] ?? [];
    const memberId = p.members.find(
      (m) => m.address === backends.find((b) => b.name === first.body)?.address,
    )?.id;
    assert.deepEqual(setCookie, [`SRV=${memberId}; path=/`]);
    assert.equal(first.headers['cache-control'], 'private');
    for (let i = 0; i < 4; i++) {
      const next = await request(VIP, port, '/', { cookie: `SRV=${memberId}; theme=blue` });
      assert.equal(next.body, first.body);
      assert.equal(next.headers['set-cookie'], undefined, 'no new cookie when the client has the right one');
    }
    const seen = backends.find((b) => b.name === first.body)?.seen.at(-1);
    assert.equal(seen?.cookie, 'theme=blue');
    await provider.remove(lb.id);
  });

  it('HTTP_COOKIE does not honour a cookie for a draining (weight 0) member', async () => {
    const members = backends.map((b) => member(b.address, b.port));
    const { port, lb, p } = await serve({ sessionPersistence: persistence('HTTP_COOKIE') }, members);
    await provider.apply({
      ...lb,
      revision: 2,
      pools: [{ ...p, members: [{ ...members[0], weight: 0 }, ...members.slice(1)] }],
    });
    const answer = await request(VIP, port, '/', { cookie: `SRV=${members[0].id}` });
    assert.notEqual(answer.body, 'a');
    assert.match(String(answer.headers['set-cookie']), /^SRV=/);
    await provider.remove(lb.id);
  });

  it('APP_COOKIE learns the member cookie from Set-Cookie and routes that value back to its member', async () => {
    const { port, lb } = await serve({ sessionPersistence: persistence('APP_COOKIE', 'JSESSIONID') });
    const sessions: { cookie: string; name: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const login = await request(VIP, port, '/login');
      const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0];
      sessions.push({ cookie, name: login.body });
    }
    assert.equal(new Set(sessions.map((s) => s.name)).size, 3, 'round robin spreads the logins');
    for (let round = 0; round < 3; round++) {
      for (const session of sessions) {
        assert.equal((await request(VIP, port, '/', { cookie: session.cookie })).body, session.name);
      }
    }
    await provider.remove(lb.id);
  });
});
