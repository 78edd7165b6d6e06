// One kind of object as a table (refreshed every 2 s): its attributes and statuses, Edit and the confirmed
// actions (Delete, or what its field table says) per row, and Add; the forms are the generic ResourceForm.
import { useState } from 'preact/hooks';
import { json } from '../api/api-client.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TableHead } from '../components/table-head.tsx';
import type { Ask } from '../components/use-confirm.tsx';
import { usePolling } from '../live/use-polling.ts';
import { ResourceForm } from './resource-form.tsx';
import { collectionPath, type Place, type ResourceSpec, type Row, rowPath } from './resource-specs.ts';

/** Where tables are drawn: the session's token, the place in the load balancer, and the confirmation. */
export type Scope = { token: string; place: Place; ask: Ask };
type Props = { scope: Scope; spec: ResourceSpec; heading: string };

const shown = (value: unknown) => (value === null || value === undefined ? '—' : String(value));

export function ResourceTable({ scope, spec, heading }: Props) {
  const { token, place, ask } = scope;
  const [editing, setEditing] = useState<Row | 'new'>();
  const list = usePolling(
    async () => {
      const body = await json<Record<string, Row[]>>(`${collectionPath(spec, place)}${spec.query(place)}`, {
        token,
      });
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
        {spec.create && (
          <button type="button" onClick={() => setEditing('new')}>
            Add {spec.singular}
          </button>
        )}
      </div>
      <ErrorAlert message={list.error} />
      {editing === 'new' && (
        <ResourceForm token={token} spec={spec} place={place} onDone={done} onCancel={done} />
      )}
      {list.value && list.value.length === 0 && <p>None.</p>}
      {list.value && list.value.length > 0 && (
        <table class="list">
          <TableHead columns={['Name', ...spec.columns, ...(spec.statuses ? ['Status'] : [])]} />
          <tbody>
            {list.value.map((row) => {
              const id = String(row[spec.idKey]);
              // A row without a name is shown by what it names (a project's quotas by the project's name).
              const name = row.name || place.choices?.[id] || id.slice(0, 8);
              return (
                <tr key={id} data-id={id}>
                  <td data-label="Name">{name}</td>
                  {spec.columns.map((c) => (
                    <td key={c} data-label={c}>
                      {shown(row[c])}
                    </td>
                  ))}
                  {spec.statuses && (
                    <td data-label="Status">
                      <StatusBadge status={row.provisioning_status} />{' '}
                      <StatusBadge status={row.operating_status} />
                    </td>
                  )}
                  <td>
                    {spec.update && (
                      <button
                        type="button"
                        aria-label={`Edit ${spec.singular} ${name}`}
                        onClick={() => setEditing(row)}
                      >
                        Edit
                      </button>
                    )}
                    {spec.actions.map((action) => (
                      <button
                        key={action.label}
                        type="button"
                        class="danger"
                        aria-label={`${action.label} ${spec.singular} ${name}`}
                        onClick={() =>
                          ask(
                            `${action.label} ${spec.singular} ${name}?`,
                            action.says,
                            action.label,
                            async () => {
                              await json(`${rowPath(spec, place, row)}${action.suffix}`, {
                                token,
                                method: action.method,
                              });
                              list.refresh();
                            },
                          )
                        }
                      >
                        {action.label}
                      </button>
                    ))}
                    {editing !== 'new' && editing?.[spec.idKey] === row[spec.idKey] && (
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
