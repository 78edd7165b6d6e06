// Keeps the session for this browser tab only (sessionStorage, never localStorage or a cookie), so a reload
// keeps the user logged in and closing the tab forgets the token; an expired one is never restored.
import type { Session } from './keystone.ts';

const KEY = 'sluice.session';

export function savedSession(): Session | undefined {
  const text = sessionStorage.getItem(KEY);
  if (!text) return undefined;
  const session = JSON.parse(text) as Session;
  return Date.parse(session.expiresAt) > Date.now() ? session : undefined;
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}
