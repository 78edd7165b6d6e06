// The lab for ACTIVE_STANDBY tests: two agent hosts running keepalived and one HTTP load balancer of an
// ACTIVE_STANDBY flavor, resolved once it is ACTIVE with its MASTER and BACKUP on the two hosts and its VIP on
// the MASTER's host only. `roles()` reads the amphora API; the lab closes when the test ends.
import type { TestContext } from 'node:test';
import { activeStandbyFlavor } from './lab-flavors.ts';
import { createHttpLoadBalancer, type LabLoadBalancer } from './lab-load-balancer.ts';
import { type Lab, startLab } from './sluice-lab.ts';
import { until } from './until.ts';

export type Roles = Readonly<{ master: string | undefined; backup: string | undefined }>;

export type ActiveStandbyLab = Readonly<{
  lab: Lab;
  lb: LabLoadBalancer;
  /** the host holding the VIP when the lab was ready (MASTER), and the other (BACKUP) */
  master: string;
  backup: string;
  /** the hosts of the MASTER and BACKUP amphorae, as the amphora API shows them now */
  roles(): Promise<Roles>;
}>;

export async function amphoraRoles(lab: Lab, lbId: string): Promise<Roles> {
  const listed = await lab.api.call('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`);
  const amphorae = (listed.body.amphorae ?? []) as { role: string; compute_id: string | null }[];
  const hostOf = (role: string) => {
    const agentId = amphorae.find((a) => a.role === role)?.compute_id;
    return [...lab.agents.entries()].find(([, agent]) => agent.id === agentId)?.[0];
  };
  return { master: hostOf('MASTER'), backup: hostOf('BACKUP') };
}

export async function startActiveStandbyLab(t: TestContext, provider: string): Promise<ActiveStandbyLab> {
  const lab = await startLab();
  t.after(() => lab.close());
  await lab.startAgent('lb1');
  await lab.startAgent('lb2');
  const lb = await createHttpLoadBalancer(lab, {
    extra: { flavor_id: await activeStandbyFlavor(lab, provider) },
  });
  const roles = () => amphoraRoles(lab, lb.id);
  const { master, backup } = await until(
    'MASTER holds the VIP, BACKUP on the other host',
    20_000,
    async () => {
      const now = await roles();
      const holding = await lab.hostsHolding(lb.vip);
      if (!now.master || !now.backup || now.master === now.backup) return undefined;
      return holding.length === 1 && holding[0] === now.master
        ? { master: now.master, backup: now.backup }
        : undefined;
    },
  );
  return { lab, lb, master, backup, roles };
}
