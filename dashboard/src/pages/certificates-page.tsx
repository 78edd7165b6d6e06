// The project's certificates in the secret store: upload a PKCS#12 bundle or a PEM file, see each secret's
// reference (what a TERMINATED_HTTPS listener's default_tls_container_ref names), delete after confirming.
import { useState } from 'preact/hooks';
import { deleteSecret, listSecrets, storeCertificate } from '../api/key-manager.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { TableHead } from '../components/table-head.tsx';
import { useConfirm } from '../components/use-confirm.tsx';
import { usePolling } from '../live/use-polling.ts';

export function CertificatesPage({ token }: { token: string }) {
  const [error, setError] = useState<string>();
  const secrets = usePolling(() => listSecrets(token), 5000, token);
  const { ask, dialog } = useConfirm(setError);
  const upload = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const file = data.get('file') as File | null;
    setError(undefined);
    try {
      if (!file || file.size === 0) throw new Error('Choose a PKCS#12 or PEM file.');
      await storeCertificate(token, String(data.get('name')), new Uint8Array(await file.arrayBuffer()));
      form.reset();
      secrets.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="certificates-title">
      <h1 id="certificates-title">Certificates</h1>
      <form class="resource-form" onSubmit={upload} aria-label="Upload certificate">
        <label>
          Name
          <input name="name" required />
        </label>
        <label>
          PKCS#12 or PEM file
          <input name="file" type="file" accept=".p12,.pfx,.pem,.crt" required />
        </label>
        <ErrorAlert message={error ?? secrets.error} />
        <button type="submit">Upload</button>
      </form>
      {dialog}
      {secrets.value?.length === 0 && <p>No secrets.</p>}
      {secrets.value && secrets.value.length > 0 && (
        <table class="list">
          <TableHead columns={['Name', 'Type', 'Reference', 'Created']} />
          <tbody>
            {secrets.value.map((s) => (
              <tr key={s.secret_ref} data-secret={s.name ?? ''}>
                <td data-label="Name">{s.name ?? '—'}</td>
                <td data-label="Type">{s.secret_type}</td>
                <td data-label="Reference">
                  <code class="ref">{s.secret_ref}</code>
                </td>
                <td data-label="Created">{s.created}</td>
                <td>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Delete secret ${s.name ?? s.secret_ref}`}
                    onClick={() =>
                      ask(
                        `Delete secret ${s.name ?? ''}?`,
                        'Listeners using it can no longer load it.',
                        'Delete',
                        async () => {
                          await deleteSecret(token, s.secret_ref);
                          secrets.refresh();
                        },
                      )
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
