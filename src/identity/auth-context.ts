// Who is calling: the validated token's user, scope and role names. Built by the identity service from an
// X-Auth-Token, consumed by RBAC decisions and the API. Plain data, no behaviour.

export type AuthContext = Readonly<{
  userId: string;
  userName: string;
  userDomainId: string;
  /** null for unscoped and system-scoped tokens */
  projectId: string | null;
  projectName: string | null;
  systemScope: boolean;
  /** role names, lower-cased */
  roles: readonly string[];
  tokenExpiresAt: string;
}>;
