// The login form: Keystone user name and password in domain Default; on success the caller gets the unscoped
// token and the user's projects. A refusal shows Keystone's own message.
import { useState } from 'preact/hooks';
import { logIn, type Project } from '../api/keystone.ts';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (token: string, projects: Project[]) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const { token, projects } = await logIn(String(form.get('user')), String(form.get('password')));
      onLoggedIn(token, projects);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <h1>Sluice</h1>
      <form onSubmit={submit} aria-labelledby="login-title">
        <h2 id="login-title">Log in</h2>
        <label>
          User name
          <input name="user" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <p class="hint">Domain: Default</p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
