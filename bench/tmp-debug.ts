import fs from 'node:fs';
import { createHttpLoadBalancer } from '../test/helpers/netns/lab-load-balancer.ts';
import { startLab } from '../test/helpers/netns/sluice-lab.ts';

const lab = await startLab();
try {
  await lab.startAgent('lb1');
  await lab.startAgent('lb2');
  const provider = process.argv[2] ?? 'haproxy';
  const p = await lab.api.call('POST', '/v2/lbaas/flavorprofiles', {
    flavorprofile: {
      name: 'x',
      provider_name: provider,
      flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}',
    },
  });
  const f = await lab.api.call('POST', '/v2/lbaas/flavors', {
    flavor: { name: 'x', flavor_profile_id: (p.body.flavorprofile as any).id },
  });
  const lb = await createHttpLoadBalancer(lab, { extra: { flavor_id: (f.body.flavor as any).id } });
  const show = async (t: string) => {
    const am = await lab.api.call('GET', `/v2/octavia/amphorae?loadbalancer_id=${lb.id}`);
    const ag = [...lab.agents.entries()].map(([h, a]) => `${h}=${a.id.slice(0, 8)}`).join(' ');
    console.log(
      t,
      ag,
      JSON.stringify((am.body.amphorae as any[]).map((a) => [a.role, a.status, a.compute_id?.slice(0, 8)])),
      'holders',
      await lab.hostsHolding(lb.vip),
    );
  };
  await new Promise((r) => setTimeout(r, 1500));
  await show('before');
  const [h] = await lab.hostsHolding(lb.vip);
  const c = lab.startClient({
    url: lb.url,
    intervalMs: 50,
    durationMs: 12000,
    maxRequests: 300,
    timeoutMs: 1000,
    retryOnce: false,
  });
  await new Promise((r) => setTimeout(r, 1000));
  const at = await lab.killHost(h);
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    await show(`+${i + 1}s`);
  }
  const log = await c.done;
  const after = log.records.filter((r) => r.start > at);
  console.log(
    'after kill',
    after.length,
    'ok',
    after.filter((r) => r.ok).length,
    JSON.stringify(after.slice(-2)),
  );
  const other = h === 'lb1' ? 'lb2' : 'lb1';
  for (const f of fs.readdirSync(`${lab.run.dir}/logs`))
    if (f.startsWith(other))
      console.log('==', f, fs.readFileSync(`${lab.run.dir}/logs/${f}`, 'utf8').slice(-1500));
} finally {
  await lab.close();
}
