// Validates the bodies agents send (registration and reports). Agents are Sluice's own code, but a body
// that does not have the protocol's shape is refused with 400 rather than half-applied.
import net from 'node:net';
import { fail } from '../../errors.ts';
import {
  type AgentRegistration,
  type AgentReport,
  type ApplyResult,
  REPORT_LOG_LINES,
} from '../../model/agent-protocol.ts';
import type { AccessLogBatch, ProviderReport } from '../../model/provider-driver.ts';
import { VrrpState } from '../../model/vrrp.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function bad(reason: string): never {
  throw fail('agent.bad-report', { reason });
}

export function parseRegistration(body: unknown): AgentRegistration {
  if (!isObject(body)) bad('registration must be an object');
  const { host, pid, epoch, availabilityZone, providers, vrrp } = body;
  if (typeof host !== 'string' || host.length === 0 || host.length > 255)
    bad('host must be a non-empty string');
  if (!Number.isInteger(pid)) bad('pid must be an integer');
  if (typeof epoch !== 'string' || epoch.length === 0 || epoch.length > 36) bad('epoch must be a string id');
  if (availabilityZone !== null && availabilityZone !== undefined && typeof availabilityZone !== 'string')
    bad('availabilityZone must be a string or null');
  if (!Array.isArray(providers) || !providers.every((p) => typeof p === 'string'))
    bad('providers must be a list of names');
  return {
    host,
    pid: pid as number,
    epoch,
    availabilityZone: (availabilityZone as string | null | undefined) ?? null,
    providers: providers as string[],
    vrrp: parseVrrpAddresses(vrrp),
  };
}

/**
 * A physical network name as `--interface-mapping physnet:iface[,…]` can spell it (no `:` or `,`, no spaces)
 * and at most as long as Neutron's provider:physical_network (64).
 */
const PHYSNET = /^[^\s:,]{1,64}$/;
const MAX_PHYSNETS = 64;

/** `vrrp: { addresses: { physnet: IPv4 } }`, absent or null when the agent runs no keepalived. */
function parseVrrpAddresses(value: unknown): AgentRegistration['vrrp'] {
  if (value === undefined || value === null) return null;
  if (!isObject(value) || !isObject(value.addresses)) bad('vrrp must be an object with addresses');
  const entries = Object.entries(value.addresses);
  if (entries.length === 0 || entries.length > MAX_PHYSNETS)
    bad(`vrrp.addresses must name 1 to ${MAX_PHYSNETS} physical networks`);
  for (const [physnet, address] of entries) {
    if (!PHYSNET.test(physnet))
      bad(`vrrp.addresses: '${physnet.slice(0, 80)}' is not a physical network name`);
    if (typeof address !== 'string' || !net.isIPv4(address))
      bad(`vrrp.addresses.${physnet} must be an IPv4 address in dotted-quad form`);
  }
  return { addresses: Object.fromEntries(entries) as Record<string, string> };
}

export function parseAgentReport(body: unknown): AgentReport {
  if (!isObject(body)) bad('report must be an object');
  const { epoch, results, observed, vrrp, logs } = body;
  if (typeof epoch !== 'string') bad('epoch must be a string');
  if (!Array.isArray(results)) bad('results must be a list');
  if (!isObject(observed)) bad('observed must be an object');
  return {
    epoch,
    results: results.map(parseResult),
    observed: observed as Record<string, ProviderReport>,
    ...(vrrp !== undefined && { vrrp: parseVrrpStates(vrrp) }),
    ...(logs !== undefined && { logs: parseAccessLogs(logs) }),
  };
}

/** A line longer than this is cut (a request line is at most MAX_HEAD_BYTES; the rest is short fields). */
const MAX_LOG_LINE = 16_384;

/** `logs: { <load balancer id>: { lines: string[], dropped: integer ≥ 0 } }`. */
function parseAccessLogs(value: unknown): Record<string, AccessLogBatch> {
  if (!isObject(value)) bad('logs must be an object of load balancer id to lines');
  const parsed: Record<string, AccessLogBatch> = {};
  let total = 0;
  for (const [id, batch] of Object.entries(value)) {
    if (!isObject(batch) || !Array.isArray(batch.lines) || !batch.lines.every((l) => typeof l === 'string'))
      bad('logs of a load balancer need lines, a list of strings');
    if (!Number.isInteger(batch.dropped) || (batch.dropped as number) < 0)
      bad('logs of a load balancer need dropped, a count');
    total += batch.lines.length;
    if (total > REPORT_LOG_LINES) bad(`a report carries at most ${REPORT_LOG_LINES} log lines`);
    const lines = batch.lines as string[];
    parsed[id] = {
      lines: lines.map((l) => (l.length > MAX_LOG_LINE ? l.slice(0, MAX_LOG_LINE) : l)),
      dropped: batch.dropped as number,
    };
  }
  return parsed;
}

const VRRP_STATES: readonly string[] = Object.values(VrrpState);

/** `vrrp: { <load balancer id>: MASTER|BACKUP|FAULT|STOP }`. */
function parseVrrpStates(value: unknown): Record<string, VrrpState> {
  if (!isObject(value)) bad('vrrp must be an object of load balancer id to state');
  for (const state of Object.values(value)) {
    if (typeof state !== 'string' || !VRRP_STATES.includes(state))
      bad(`vrrp states must be one of ${VRRP_STATES.join(', ')}`);
  }
  return value as Record<string, VrrpState>;
}

function parseResult(value: unknown): ApplyResult {
  if (!isObject(value) || typeof value.loadBalancerId !== 'string') bad('each result needs a loadBalancerId');
  const { loadBalancerId, revision, removed, error } = value;
  if (revision !== undefined && !Number.isInteger(revision)) bad('revision must be an integer');
  if (error !== null && typeof error !== 'string') bad('error must be a string or null');
  if (revision === undefined && removed !== true) bad('a result names a revision or is a removal');
  return {
    loadBalancerId,
    error: error === null ? null : String(error).slice(0, 2000),
    ...(revision !== undefined && { revision: revision as number }),
    ...(removed === true && { removed: true }),
  };
}
