// The identity service's vocabulary beyond stored rows: what a token request asks for, what an issued
// token says (rendered by the Keystone API), and the inputs of the directory operations.
import type { RoleRecord } from '../store/repositories/identity-records.ts';

export type PasswordCredentials = Readonly<{
  userId?: string;
  userName?: string;
  domainId?: string;
  domainName?: string;
  password: string;
}>;

/** `default` is an absent scope (Keystone then uses the user's default project); `unscoped` is explicit. */
export type ScopeRequest =
  | Readonly<{ kind: 'default' }>
  | Readonly<{ kind: 'unscoped' }>
  | Readonly<{ kind: 'system' }>
  | Readonly<{ kind: 'domain' }>
  | Readonly<{ kind: 'project'; id?: string; name?: string; domainId?: string; domainName?: string }>;

export type AuthRequest = Readonly<{
  methods: readonly string[];
  password?: PasswordCredentials;
  /** the token re-scoped by the `token` method */
  token?: string;
  scope: ScopeRequest;
}>;

export type NamedRef = Readonly<{ id: string; name: string }>;

export type TokenInfo = Readonly<{
  methods: readonly string[];
  auditId: string;
  issuedAt: string;
  expiresAt: string;
  user: NamedRef & Readonly<{ domain: NamedRef }>;
  project: (NamedRef & Readonly<{ domain: NamedRef }>) | null;
  system: boolean;
  /** empty for unscoped tokens */
  roles: readonly RoleRecord[];
}>;

export type IssuedToken = Readonly<{ token: string; info: TokenInfo }>;

export type ProjectInput = Readonly<{
  name: string;
  description?: string;
  domainId?: string;
  enabled?: boolean;
  parentId?: string | null;
  tags?: readonly string[];
}>;

export type ProjectPatch = Readonly<
  Partial<{ name: string; description: string; enabled: boolean; tags: string[] }>
>;

export type UserInput = Readonly<{
  name: string;
  domainId?: string;
  enabled?: boolean;
  defaultProjectId?: string | null;
  password?: string | null;
}>;

export type UserPatch = Readonly<
  Partial<{ name: string; enabled: boolean; defaultProjectId: string | null; password: string | null }>
>;

export type GrantTarget = Readonly<{ kind: 'project'; projectId: string }> | Readonly<{ kind: 'system' }>;

export type AssignmentQuery = Readonly<{
  userId?: string;
  roleId?: string;
  projectId?: string;
  system?: boolean;
}>;

export type AssignmentView = Readonly<{
  role: NamedRef;
  user: NamedRef & Readonly<{ domain: NamedRef }>;
  /** null for a system grant */
  project: (NamedRef & Readonly<{ domain: NamedRef }>) | null;
}>;
