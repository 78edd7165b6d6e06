// The create wizard: a whole load balancer (VIP subnet, one listener, its default pool with members and an
// optional health monitor) sent as ONE fully populated POST /v2/lbaas/loadbalancers; then the new load
// balancer's page, where it is seen going ACTIVE. The API's validation message is shown beside the form.
import { useState } from 'preact/hooks';
import { listSubnets } from '../api/neutron.ts';
import { octavia } from '../api/octavia.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { FieldInput } from '../components/field-input.tsx';
import { Link } from '../components/link.tsx';
import { usePolling } from '../live/use-polling.ts';
import { navigate } from '../router.ts';

type MemberRow = { key: number; address: string; port: string };

const PROTOCOLS = ['HTTP', 'TCP', 'UDP'] as const;
const ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'] as const;
const MONITORS = ['', 'HTTP', 'TCP', 'PING'] as const;

/** The fully populated create body from the form (https://docs.openstack.org/api-ref/load-balancer/v2/
 * #creating-a-fully-populated-load-balancer); numbers stay what the user typed when not numeric, so the API
 * answers them with its own message. */
export function createBody(form: FormData, members: readonly MemberRow[]) {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const number = (name: string) =>
    text(name) !== '' && Number.isFinite(Number(text(name))) ? Number(text(name)) : text(name);
  const protocol = text('protocol');
  const monitor = text('monitor');
  const pool = {
    name: `${text('name')}-pool`,
    protocol,
    lb_algorithm: text('algorithm'),
    members: members.map((m) => ({
      address: m.address.trim(),
      protocol_port: Number.isFinite(Number(m.port)) && m.port !== '' ? Number(m.port) : m.port,
    })),
    ...(monitor && {
      healthmonitor: {
        type: monitor,
        delay: number('delay'),
        timeout: number('timeout'),
        max_retries: number('retries'),
      },
    }),
  };
  return {
    loadbalancer: {
      name: text('name'),
      vip_subnet_id: text('subnet'),
      listeners: [
        {
          name: `${text('name')}-${protocol.toLowerCase()}`,
          protocol,
          protocol_port: number('port'),
          default_pool: pool,
        },
      ],
    },
  };
}

export function CreateWizard({ token }: { token: string }) {
  const subnets = usePolling(() => listSubnets(token), 60_000, token);
  const [members, setMembers] = useState<MemberRow[]>([{ key: 0, address: '', port: '80' }]);
  const [monitor, setMonitor] = useState<string>('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const edit = (key: number, change: Partial<MemberRow>) =>
    setMembers((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = createBody(new FormData(event.currentTarget as HTMLFormElement), members);
      const created = await octavia.send<{ loadbalancer: { id: string } }>(
        token,
        'POST',
        '/loadbalancers',
        body,
      );
      navigate({ page: 'loadbalancer', id: created.loadbalancer.id });
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="wizard-title">
      <Link to={{ page: 'list' }}>← Load balancers</Link>
      <h1 id="wizard-title">Create load balancer</h1>
      <form class="wizard" onSubmit={submit}>
        <fieldset>
          <legend>Load balancer</legend>
          <label>
            Name
            <input name="name" required />
          </label>
          <label>
            VIP subnet
            <select name="subnet" required>
              {(subnets.value ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name || s.id} ({s.cidr})
                </option>
              ))}
            </select>
          </label>
          {subnets.error && <p class="error">{subnets.error}</p>}
        </fieldset>
        <fieldset>
          <legend>Listener</legend>
          <FieldInput field={{ key: 'protocol', label: 'Protocol', kind: 'select', options: PROTOCOLS }} />
          <label>
            Port
            <input name="port" inputMode="numeric" required />
          </label>
        </fieldset>
        <fieldset>
          <legend>Pool</legend>
          <FieldInput field={{ key: 'algorithm', label: 'Algorithm', kind: 'select', options: ALGORITHMS }} />
        </fieldset>
        <fieldset>
          <legend>Members</legend>
          {members.map((m, i) => (
            <div class="row member-row" key={m.key}>
              <label>
                Member {i + 1} address
                <input
                  value={m.address}
                  onInput={(e) => edit(m.key, { address: e.currentTarget.value })}
                  required
                />
              </label>
              <label>
                Member {i + 1} port
                <input
                  value={m.port}
                  inputMode="numeric"
                  onInput={(e) => edit(m.key, { port: e.currentTarget.value })}
                  required
                />
              </label>
              {members.length > 1 && (
                <button
                  type="button"
                  onClick={() => setMembers((rows) => rows.filter((r) => r.key !== m.key))}
                >
                  Remove member {i + 1}
                </button>
              )}
            </div>
          ))}
          <button
            type="button"
            onClick={() =>
              setMembers((rows) => [
                ...rows,
                { key: Math.max(...rows.map((r) => r.key)) + 1, address: '', port: '80' },
              ])
            }
          >
            Add member
          </button>
        </fieldset>
        <fieldset>
          <legend>Health monitor (optional)</legend>
          <label>
            Type
            <select name="monitor" value={monitor} onChange={(e) => setMonitor(e.currentTarget.value)}>
              {MONITORS.map((t) => (
                <option key={t} value={t}>
                  {t || 'None'}
                </option>
              ))}
            </select>
          </label>
          {monitor && (
            <>
              <label>
                Delay (s)
                <input name="delay" inputMode="numeric" defaultValue="5" />
              </label>
              <label>
                Timeout (s)
                <input name="timeout" inputMode="numeric" defaultValue="5" />
              </label>
              <label>
                Max retries
                <input name="retries" inputMode="numeric" defaultValue="3" />
              </label>
            </>
          )}
        </fieldset>
        <ErrorAlert message={error} id="wizard-error" />
        <button type="submit" disabled={busy}>
          Create
        </button>
      </form>
    </section>
  );
}
