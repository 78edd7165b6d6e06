// A collection of the API shown as a read-only table (refreshed every 5 s): the named attributes of each
// object under `path` (from the origin), for the admin views (quotas, flavors, availability zones, amphorae).
import { json } from '../api/api-client.ts';
import { usePolling } from '../live/use-polling.ts';
import { ErrorAlert } from './error-alert.tsx';
import { TableHead } from './table-head.tsx';

type Props = { token: string; heading: string; path: string; plural: string; columns: readonly string[] };

export function ReadonlyTable({ token, heading, path, plural, columns }: Props) {
  const list = usePolling(
    async () => (await json<Record<string, Record<string, unknown>[]>>(path, { token }))[plural],
    5000,
    `${token} ${path}`,
  );
  const id = `readonly-${plural}`;
  return (
    <section aria-labelledby={id} data-resource={plural}>
      <h2 id={id}>{heading}</h2>
      <ErrorAlert message={list.error} />
      {list.value?.length === 0 && <p>None.</p>}
      {list.value && list.value.length > 0 && (
        <table class="list">
          <TableHead columns={columns} actions={false} />
          <tbody>
            {list.value.map((row, i) => (
              <tr key={String(row.id ?? row.name ?? row.project_id ?? i)}>
                {columns.map((c) => (
                  <td key={c} data-label={c}>
                    {row[c] === null || row[c] === undefined ? '—' : String(row[c])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
