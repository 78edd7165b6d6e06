// The lab for SINGLE failover tests: two agent hosts and one HTTP load balancer, resolved once its VIP is
// plumbed on exactly one of them (`serving`; the other is `spare`). The lab closes when the test ends.
import type { TestContext } from 'node:test';
import { createHttpLoadBalancer, type LabLoadBalancer } from './lab-load-balancer.ts';
import { type Lab, startLab } from './sluice-lab.ts';
import { until } from './until.ts';

export type SingleLab = Readonly<{ lab: Lab; lb: LabLoadBalancer; serving: string; spare: string }>;

export async function startSingleLab(t: TestContext): Promise<SingleLab> {
  const lab = await startLab();
  t.after(() => lab.close());
  await lab.startAgent('lb1');
  await lab.startAgent('lb2');
  const lb = await createHttpLoadBalancer(lab);
  const [serving] = await until('VIP plumbed', 10_000, async () => {
    const hosts = await lab.hostsHolding(lb.vip);
    return hosts.length === 1 ? hosts : undefined;
  });
  return { lab, lb, serving, spare: serving === 'lb1' ? 'lb2' : 'lb1' };
}
