// Runs an agent host's keepalived from its assignments (docs/ha.md, "VRRP layout"): after every converge the
// layout of all grouped load balancers is rendered and applied (start when none runs, SIGHUP when the file
// changed, stop when no group is left); a keepalived left by an earlier agent on the data dir is adopted.
// What keepalived refuses is reported against the grouped load balancers only; the rest is untouched.
import type { Assignment } from '../../model/agent-protocol.ts';
import { VRRP_DEFAULTS, type VrrpState } from '../../model/vrrp.ts';
import { readText } from '../read-text.ts';
import { KeepalivedProcess } from './keepalived-process.ts';
import { renderKeepalivedConfig } from './render-keepalived.ts';
import { vrrpHostLayout } from './vrrp-host-layout.ts';

export type KeepalivedManagerOptions = Readonly<{
  dataDir: string;
  binary: string;
  /** router_id: a plain identifier (keepalived-words.ts plainId) */
  hostId: string;
  /** physical network → interface (`--interface-mapping`) */
  mappings: ReadonlyMap<string, string>;
  /** the data-plane check keepalived runs (`sluice vrrp-check --data-dir D`); null for none */
  checkCommand: readonly string[] | null;
  /** run keepalived in this named network namespace (tests keep hosts in namespaces) */
  namespace?: string;
}>;

export class KeepalivedManager {
  readonly process: KeepalivedProcess;
  /** whether a keepalived of an earlier agent was found running on the data dir and taken over */
  readonly adopted: boolean;
  readonly #options: KeepalivedManagerOptions;
  #groupOf: ReadonlyMap<string, string> = new Map();
  /** the last text keepalived refused and why, so an unchanged set is not checked again */
  #refusedText: { text: string; reason: string } | undefined;

  constructor(options: KeepalivedManagerOptions) {
    this.#options = options;
    this.process = new KeepalivedProcess(options.dataDir, {
      binary: options.binary,
      namespace: options.namespace,
    });
    this.process.prepare();
    this.adopted = this.process.adopt();
  }

  /**
   * Makes keepalived hold the groups of `assignments` (those without `vrrp` are ignored). Resolves with the
   * grouped load balancers keepalived does not hold as asked, and why; never rejects.
   */
  async sync(assignments: readonly Assignment[]): Promise<ReadonlyMap<string, string>> {
    const check = this.#options.checkCommand
      ? { ...VRRP_DEFAULTS.check, command: this.#options.checkCommand }
      : null;
    const { layout, groupOf, refused } = vrrpHostLayout(assignments, {
      hostId: this.#options.hostId,
      mappings: this.#options.mappings,
      check,
    });
    this.#groupOf = groupOf;
    const failAll = (reason: string) => {
      const failed = new Map(refused);
      for (const id of groupOf.keys()) failed.set(id, reason);
      return failed;
    };
    let text: string | undefined;
    try {
      if (layout.groups.length === 0) {
        if (this.process.alive()) await this.process.stop();
        return refused;
      }
      text = renderKeepalivedConfig(layout, this.process.files());
      if (this.#refusedText?.text === text) return failAll(this.#refusedText.reason);
      if (this.process.alive() && readText(this.process.paths.config) === text) return refused;
      await this.process.apply(text);
      return refused;
    } catch (error) {
      const reason = `keepalived: ${(error as Error).message}`;
      // `keepalived -t` refusing a text refuses it again: not re-run until the text changes. A failed start
      // or reload is tried again at the next converge.
      if (text !== undefined && /refused the configuration/.test(reason))
        this.#refusedText = { text, reason };
      return failAll(reason);
    }
  }

  /** Per grouped load balancer, the state keepalived last recorded for its group (none while it is stopped). */
  states(): Record<string, VrrpState> {
    const states = this.process.states();
    const byLoadBalancer: Record<string, VrrpState> = {};
    for (const [id, group] of this.#groupOf) {
      const state = states.get(group)?.state;
      if (state) byLoadBalancer[id] = state;
    }
    return byLoadBalancer;
  }

  /** Stops keepalived: it releases the VIPs and tells the peer (priority 0), which takes them over at once. */
  async stop(): Promise<void> {
    await this.process.stop();
  }
}
