// One kind of object under a load balancer as a table (refreshed every 2 s): its attributes and statuses,
// Edit and Delete (confirmed) per row, and Add; the forms are the generic ResourceForm.
import { useState } from 'preact/hooks';
import { octavia } from '../api/octavia.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TableHead } from '../components/table-head.tsx';
import type { Ask } from '../components/use-confirm.tsx';
import { usePolling } from '../live/use-polling.ts';
import { ResourceForm } from './resource-form.tsx';
import type { Place, ResourceSpec, Row } from './resource-specs.ts';

/** Where tables are drawn: the session's token, the place in the load balancer, and the confirmation. */
export type Scope = { token: string; place: Place; ask: Ask };
type Props = { scope: Scope; spec: ResourceSpec; heading: string };

const shown = (value: unknown) => (value === null || value === undefined ? '—' : String(value));

export function ResourceTable({ scope, spec, heading }: Props) {
  const { token, place, ask } = scope;
  const [editing, setEditing] = useState<Row | 'new'>();
  const list = usePolling(
    async () => {
      const body = await octavia.get<Record<string, Row[]>>(
        token,
        `${spec.collection(place)}${spec.query(place)}`,
      );
      return body[spec.plural].filter((row) => spec.keep?.(row, place) ?? true);
    },
    2000,
    `${token} ${spec.collection(place)} ${place.poolIds.join()}`,
  );
  const done = () => {
    setEditing(undefined);
    list.refresh();
  };
  const headingId = `${spec.plural}-${place.poolId ?? place.lbId}`;
  return (
    <section class="resource" aria-labelledby={headingId} data-resource={spec.plural}>
      <div class="row spread">
        <h3 id={headingId}>{heading}</h3>
        <button type="button" onClick={() => setEditing('new')}>
          Add {spec.singular}
        </button>
      </div>
      <ErrorAlert message={list.error} />
      {editing === 'new' && (
        <ResourceForm token={token} spec={spec} place={place} onDone={done} onCancel={done} />
      )}
      {list.value && list.value.length === 0 && <p>None.</p>}
      {list.value && list.value.length > 0 && (
        <table class="list">
          <TableHead columns={['Name', ...spec.columns, 'Status']} />
          <tbody>
            {list.value.map((row) => {
              const name = row.name || row.id.slice(0, 8);
              return (
                <tr key={row.id} data-id={row.id}>
                  <td data-label="Name">{name}</td>
                  {spec.columns.map((c) => (
                    <td key={c} data-label={c}>
                      {shown(row[c])}
                    </td>
                  ))}
                  <td data-label="Status">
                    <StatusBadge status={row.provisioning_status} />{' '}
                    <StatusBadge status={row.operating_status} />
                  </td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Edit ${spec.singular} ${name}`}
                      onClick={() => setEditing(row)}
                    >
                      Edit
                    </button>{' '}
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Delete ${spec.singular} ${name}`}
                      onClick={() =>
                        ask(
                          `Delete ${spec.singular} ${name}?`,
                          `The ${spec.singular} is deleted.`,
                          'Delete',
                          async () => {
                            await octavia.send(token, 'DELETE', `${spec.collection(place)}/${row.id}`);
                            list.refresh();
                          },
                        )
                      }
                    >
                      Delete
                    </button>
                    {editing !== 'new' && editing?.id === row.id && (
                      <ResourceForm
                        token={token}
                        spec={spec}
                        place={place}
                        row={row}
                        onDone={done}
                        onCancel={done}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
