// Deletes a load balancer with everything under it (cascade), after the confirmation dialog.
import { deleteLoadBalancer, type LoadBalancer } from '../api/octavia.ts';
import type { Ask } from './use-confirm.tsx';

type Props = { token: string; lb: LoadBalancer; ask: Ask; onDeleted: () => void };

export function DeleteLbButton({ token, lb, ask, onDeleted }: Props) {
  const name = lb.name || lb.id;
  return (
    <button
      type="button"
      class="danger"
      aria-label={`Delete ${name}`}
      onClick={() =>
        ask(
          `Delete ${name}?`,
          'The load balancer and all its listeners, pools, members and monitors are deleted.',
          'Delete',
          async () => {
            await deleteLoadBalancer(token, lb.id);
            onDeleted();
          },
        )
      }
    >
      Delete
    </button>
  );
}
