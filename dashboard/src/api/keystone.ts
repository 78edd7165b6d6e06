// Keystone v3 as the login needs it: a password token (user in domain Default), the projects it may be scoped
// to (GET /v3/auth/projects), a project-scoped token from it (the token method), and logout (DELETE).
// https://docs.openstack.org/api-ref/identity/v3/#password-authentication-with-unscoped-authorization
import { json, request } from './api-client.ts';

export type Project = { id: string; name: string };
export type Session = {
  token: string;
  expiresAt: string;
  user: string;
  project: Project;
  roles: string[];
};
type TokenBody = { token: { expires_at: string; user: { name: string }; roles?: { name: string }[] } };

const DOMAIN = { id: 'default' } as const;

async function issue(auth: unknown, token?: string): Promise<{ token: string; body: TokenBody }> {
  const response = await request('/v3/auth/tokens', { method: 'POST', body: { auth }, token });
  return { token: response.headers.get('x-subject-token') ?? '', body: (await response.json()) as TokenBody };
}

/** An unscoped token for `user`, and the projects it may be scoped to. */
export async function logIn(user: string, password: string): Promise<{ token: string; projects: Project[] }> {
  const { token } = await issue({
    identity: { methods: ['password'], password: { user: { name: user, password, domain: DOMAIN } } },
  });
  const { projects } = await json<{ projects: Project[] }>('/v3/auth/projects', { token });
  return { token, projects };
}

/** A token scoped to `project`, made from the unscoped one. */
export async function scopeTo(unscoped: string, project: Project): Promise<Session> {
  const { token, body } = await issue(
    { identity: { methods: ['token'], token: { id: unscoped } }, scope: { project: { id: project.id } } },
    unscoped,
  );
  return {
    token,
    expiresAt: body.token.expires_at,
    user: body.token.user.name,
    project,
    roles: (body.token.roles ?? []).map((r) => r.name),
  };
}

/** Revokes the token; a token already gone is fine. */
export async function logOut(token: string): Promise<void> {
  await request('/v3/auth/tokens', { method: 'DELETE', token, headers: { 'x-subject-token': token } }).catch(
    () => undefined,
  );
}
