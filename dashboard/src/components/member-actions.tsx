// What can be done to one member from the status tree: drain (weight 0) and back to 1, enable/disable (admin_state_up) and
// delete; delete and disable ask first. Each is a PUT or DELETE on /v2/lbaas/pools/{pool}/members/{member}.
import type { Member } from '../api/octavia.ts';
import { octavia } from '../api/octavia.ts';
import type { Ask } from './use-confirm.tsx';

type Props = {
  token: string;
  poolId: string;
  member: Member | undefined;
  ask: Ask;
  run: (action: () => Promise<unknown>) => void;
};

export function MemberActions({ token, poolId, member, ask, run }: Props) {
  if (!member) return null;
  const path = `/pools/${poolId}/members/${member.id}`;
  const update = (change: Partial<Member>) => octavia.send(token, 'PUT', path, { member: change });
  const label = `${member.address}:${member.protocol_port}`;
  return (
    <fieldset class="actions">
      <legend class="sr-only">Actions for member {label}</legend>
      <span class="meta">weight {member.weight}</span>
      {member.weight === 0 ? (
        <button type="button" onClick={() => run(() => update({ weight: 1 }))}>
          Undrain
        </button>
      ) : (
        <button type="button" onClick={() => run(() => update({ weight: 0 }))}>
          Drain
        </button>
      )}
      {member.admin_state_up ? (
        <button
          type="button"
          onClick={() =>
            ask('Disable member?', `Member ${label} stops receiving traffic.`, 'Disable', async () => {
              await update({ admin_state_up: false });
            })
          }
        >
          Disable
        </button>
      ) : (
        <button type="button" onClick={() => run(() => update({ admin_state_up: true }))}>
          Enable
        </button>
      )}
      <button
        type="button"
        class="danger"
        onClick={() =>
          ask('Delete member?', `Member ${label} is removed from its pool.`, 'Delete', async () => {
            await octavia.send(token, 'DELETE', path);
          })
        }
      >
        Delete
      </button>
    </fieldset>
  );
}
