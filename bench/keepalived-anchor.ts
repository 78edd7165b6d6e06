// The anchors of the failover benchmark: two plain keepalived processes (no Sluice) on lb1 and lb2 of the HA lab
// holding one VIP, each host also running a tiny HTTP responder on 0.0.0.0:80 (test/helpers/netns/http-member.ts
// answering its host name), so whichever host holds the VIP answers. Two configurations: keepalived's floor and
// Octavia's amphora defaults.
import fs from 'node:fs';
import path from 'node:path';
import { forgetAddresses, hostAddresses } from '../test/helpers/netns/bridge-topology.ts';
import type { HostProcess } from '../test/helpers/netns/host-processes.ts';
import type { Lab } from '../test/helpers/netns/sluice-lab.ts';
import { until } from '../test/helpers/netns/until.ts';

export type AnchorKind = 'floor' | 'octavia';
export const ANCHOR_HOSTS = ['lb1', 'lb2'] as const;
const PORT = 80;
const MEMBER_SCRIPT = path.resolve(import.meta.dirname, '../test/helpers/netns/http-member.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The advert interval of each anchor, in seconds. */
export const ADVERT_SECONDS = { floor: 0.1, octavia: 1 } as const;

type Side = Readonly<{ own: string; peer: string; first: boolean }>;

/**
 * The floor: VRRPv3 (RFC 5798 §5.2.7 counts the interval in centiseconds), unicast, advert_int 0.1, both hosts
 * in state BACKUP with nopreempt (keepalived honours nopreempt only from BACKUP), priorities 100/90. A BACKUP
 * takes over after Master_Down_Interval = 3 × advert + (256 − priority)/256 × advert (RFC 5798 §6.1): ≈ 0.36 s.
 */
function floorConfig(vip: string, side: Side): string {
  return `global_defs {
    router_id anchor_${side.first ? 1 : 2}
    vrrp_version 3
}
vrrp_instance anchor {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority ${side.first ? 100 : 90}
    nopreempt
    advert_int ${ADVERT_SECONDS.floor}
    unicast_src_ip ${side.own}
    unicast_peer {
        ${side.peer}
    }
    virtual_ipaddress {
        ${vip}/32 dev eth0
    }
}
`;
}

/**
 * Octavia's defaults, as its amphora renders them (vrrp_instance of
 * https://opendev.org/openstack/octavia/src/branch/master/octavia/amphorae/drivers/keepalived/jinja/templates/keepalived_base.template,
 * values from octavia/amphorae/drivers/keepalived/jinja/jinja_cfg.py and [keepalived_vrrp] in
 * https://docs.openstack.org/octavia/latest/configuration/configref.html): state and priority by amphora role
 * (MASTER 100, BACKUP 90), nopreempt, accept, garp refresh 5 s × 2, advert_int 1, auth PASS, unicast peer,
 * keepalived's default VRRP version (2). Left out: the check script (no amphora agent here; it only matters
 * once it fails) and the VIP's policy routes (the lab has no gateway). The BACKUP takes over after
 * 3 × 1 s + (256 − 90)/256 s ≈ 3.65 s.
 */
function octaviaConfig(vip: string, side: Side): string {
  return `vrrp_instance anchor {
    state ${side.first ? 'MASTER' : 'BACKUP'}
    interface eth0
    virtual_router_id 1
    priority ${side.first ? 100 : 90}
    nopreempt
    accept
    garp_master_refresh 5
    garp_master_refresh_repeat 2
    advert_int ${ADVERT_SECONDS.octavia}
    authentication {
        auth_type PASS
        auth_pass bench01
    }
    unicast_src_ip ${side.own}
    unicast_peer {
        ${side.peer}
    }
    virtual_ipaddress {
        ${vip}/32 dev eth0
    }
}
`;
}

export type Anchor = Readonly<{
  kind: AnchorKind;
  vip: string;
  url: string;
  /** The host holding the VIP, once exactly one does and both keepalived processes have chosen a state. */
  holder(): Promise<string>;
  /** Starts (again) a host's responder and keepalived, as after a reboot: addresses left behind are gone. */
  startHost(hostName: string): Promise<void>;
  /** Kills both hosts' processes and forgets the VIP. */
  stop(): Promise<void>;
}>;

export async function startAnchor(lab: Lab, kind: AnchorKind, vip: string): Promise<Anchor> {
  const dir = path.join(lab.run.dir, `anchor-${kind}`);
  fs.mkdirSync(dir, { recursive: true });
  const keepalived = new Map<string, HostProcess>();
  const render = kind === 'floor' ? floorConfig : octaviaConfig;

  // Logs are appended per process name: a restarted process gets a new name, so its log is its own.
  let starts = 0;
  const startHost = async (hostName: string) => {
    starts += 1;
    const host = lab.topology.host(hostName);
    const peerName = ANCHOR_HOSTS.find((h) => h !== hostName) ?? 'lb1';
    await forgetAddresses(host);
    const responder = lab.processes.spawn(host, `${kind}-responder-${starts}`, [
      process.execPath,
      MEMBER_SCRIPT,
      hostName,
      '0.0.0.0',
      String(PORT),
    ]);
    await until(`${hostName} responder`, 10_000, async () =>
      responder.output().includes('listening') ? true : undefined,
    );
    const side = { own: host.address, peer: lab.topology.host(peerName).address, first: hostName === 'lb1' };
    const config = path.join(dir, `${hostName}.conf`);
    fs.writeFileSync(config, render(vip, side));
    // As after a reboot, the killed keepalived's pid files go: once PIDs wrap, one of them can name a live
    // process, and keepalived then refuses to start ("daemon is already running").
    for (const pidFile of [`${hostName}.pid`, `${hostName}-vrrp.pid`])
      fs.rmSync(path.join(dir, pidFile), { force: true });
    const p = lab.processes.spawn(host, `${kind}-keepalived-${starts}`, [
      'keepalived',
      '--dont-fork',
      '--log-console',
      '--no-syslog',
      '--vrrp',
      '--use-file',
      config,
      '--pid',
      path.join(dir, `${hostName}.pid`),
      '--vrrp_pid',
      path.join(dir, `${hostName}-vrrp.pid`),
    ]);
    keepalived.set(hostName, p);
  };

  const holders = async () => {
    const holding: string[] = [];
    for (const h of ANCHOR_HOSTS)
      if ((await hostAddresses(lab.topology.host(h))).includes(vip)) holding.push(h);
    return holding;
  };

  for (const h of ANCHOR_HOSTS) await startHost(h);
  return {
    kind,
    vip,
    url: `http://${vip}:${PORT}/`,
    async holder() {
      const chose = (h: string) => /Entering (MASTER|BACKUP) STATE/.test(keepalived.get(h)?.output() ?? '');
      // A restarted Octavia MASTER (state MASTER, priority 100) preempts the peer: wait past a few adverts.
      const settleMs = 4 * ADVERT_SECONDS[kind] * 1000 + 300;
      return until(`${kind} anchor settled`, 20_000, async () => {
        if (!ANCHOR_HOSTS.every(chose)) return undefined;
        const first = await holders();
        if (first.length !== 1) return undefined;
        await sleep(settleMs);
        const again = await holders();
        return again.length === 1 && again[0] === first[0] ? first[0] : undefined;
      });
    },
    startHost,
    async stop() {
      for (const h of ANCHOR_HOSTS) {
        await lab.processes.killHost(lab.topology.host(h));
        await forgetAddresses(lab.topology.host(h));
      }
    },
  };
}
