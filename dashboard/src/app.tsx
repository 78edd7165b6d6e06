// The dashboard's shell: the session (login → project picker when several → project-scoped token, kept in
// this app's memory only: never in web storage or a cookie, so a reload logs out), its end (logout, token
// expiry or any 401), and the page of the current route (Administration for admins only).
import { useEffect, useRef, useState } from 'preact/hooks';
import { whenUnauthorized } from './api/api-client.ts';
import { logOut, type Project, type Session, scopeTo } from './api/keystone.ts';
import { Link } from './components/link.tsx';
import { AdminPage } from './pages/admin-page.tsx';
import { CertificatesPage } from './pages/certificates-page.tsx';
import { CreateWizard } from './pages/create-wizard.tsx';
import { LbListPage } from './pages/lb-list-page.tsx';
import { LbPage } from './pages/lb-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { ProjectPicker } from './pages/project-picker.tsx';
import { useRoute } from './router.ts';

type Picking = { unscoped: string; projects: Project[] };

export function App() {
  const [session, setSession] = useState<Session>();
  const [picking, setPicking] = useState<Picking>();
  const [error, setError] = useState<string>();
  const route = useRoute();

  const begin = (next: Session | undefined) => {
    setSession(next);
    setPicking(undefined);
  };
  const end = () => {
    if (session) void logOut(session.token);
    begin(undefined);
  };
  const pick = async (unscoped: string, project: Project) => {
    try {
      begin(await scopeTo(unscoped, project));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  // A page changed on the client moves focus to the new content, as a page load would for keyboard and
  // screen-reader users (not on the first render: the browser places focus itself then).
  const main = useRef<HTMLElement>(null);
  const where = route.page === 'loadbalancer' ? route.id : route.page;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [where]);

  useEffect(() => {
    whenUnauthorized(() => begin(undefined));
    if (!session) return;
    // The session ends with its token: at its expiry the user is logged out.
    const timer = setTimeout(() => begin(undefined), Math.max(0, Date.parse(session.expiresAt) - Date.now()));
    return () => clearTimeout(timer);
  }, [session]);

  if (!session) {
    if (picking)
      return <ProjectPicker projects={picking.projects} onPick={(p) => void pick(picking.unscoped, p)} />;
    return (
      <>
        <LoginPage
          onLoggedIn={(unscoped, projects) => {
            setError(undefined);
            if (projects.length === 1) void pick(unscoped, projects[0]);
            else setPicking({ unscoped, projects });
          }}
        />
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </>
    );
  }
  // Octavia's admin rules (role:admin) guard every call of the Administration page: others would get 403s.
  const admin = session.roles.includes('admin');
  return (
    <>
      <header class="top">
        <Link class="brand" to={{ page: 'list' }}>
          Sluice
        </Link>
        <span class="who">
          {session.user} · project <strong>{session.project.name}</strong>
        </span>
        <Link to={{ page: 'certificates' }}>Certificates</Link>
        {admin && <Link to={{ page: 'admin' }}>Administration</Link>}
        <button type="button" onClick={end}>
          Log out
        </button>
      </header>
      <main ref={main} tabIndex={-1}>
        {(route.page === 'list' || (route.page === 'admin' && !admin)) && (
          <LbListPage token={session.token} />
        )}
        {route.page === 'create' && <CreateWizard token={session.token} />}
        {route.page === 'admin' && admin && <AdminPage token={session.token} />}
        {route.page === 'certificates' && <CertificatesPage token={session.token} />}
        {route.page === 'loadbalancer' && <LbPage key={route.id} token={session.token} id={route.id} />}
      </main>
    </>
  );
}
