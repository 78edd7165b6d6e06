// Issues, validates, describes and revokes tokens. A token is live while unrevoked, unexpired, its user and
// project enabled, and (when scoped) the user still holds a role there: roles are read at validation time.
import type { SluiceConfig } from '../config/config.ts';
import { type RoleRecord, SYSTEM_TARGET } from '../store/repositories/identity-records.ts';
import type { IdentityRepository } from '../store/repositories/identity-repository.ts';
import type { RoleRepository } from '../store/repositories/role-repository.ts';
import type { TokenRepository, TokenSubject } from '../store/repositories/token-repository.ts';
import type { AuthContext } from './auth-context.ts';
import type { Authenticator } from './authenticator.ts';
import type { AuthRequest, IssuedToken, NamedRef, TokenInfo } from './identity-types.ts';
import { expiryAfter, hashToken, newAuditId, newTokenSecret } from './tokens.ts';

type LiveToken = TokenSubject & Readonly<{ roles: readonly RoleRecord[] }>;

export class TokenService {
  private readonly directory: IdentityRepository;
  private readonly roles: RoleRepository;
  private readonly tokens: TokenRepository;
  private readonly authenticator: Authenticator;
  private readonly config: Pick<SluiceConfig, 'tokenTtlSeconds'>;

  constructor(
    directory: IdentityRepository,
    roles: RoleRepository,
    tokens: TokenRepository,
    authenticator: Authenticator,
    config: Pick<SluiceConfig, 'tokenTtlSeconds'>,
  ) {
    this.directory = directory;
    this.roles = roles;
    this.tokens = tokens;
    this.authenticator = authenticator;
    this.config = config;
  }

  /** Authenticates the request and stores a new token; throws identity.invalid-credentials (401). */
  async issue(request: AuthRequest): Promise<IssuedToken> {
    const identified = await this.authenticator.identify(request, async (token) => {
      const live = await this.live(token);
      return (
        live && { userId: live.token.userId, methods: live.token.methods, expiresAt: live.token.expiresAt }
      );
    });
    const scope = await this.authenticator.resolveScope(identified.user, request.scope);
    const issued = new Date();
    const secret = newTokenSecret();
    const record = {
      hash: hashToken(secret),
      userId: identified.user.id,
      projectId: scope.project?.id ?? null,
      systemScope: scope.system,
      methods: identified.methods,
      auditId: newAuditId(),
      issuedAt: issued.toISOString(),
      expiresAt: identified.expiresAt ?? expiryAfter(issued, this.config.tokenTtlSeconds),
      revoked: false,
    };
    await this.tokens.insert(record);
    // Housekeeping bounded by the user: their tokens that expired a day ago are gone for good.
    await this.tokens.deleteExpired(expiryAfter(issued, -86400), identified.user.id);
    const info = await this.describeLive({
      token: record,
      userName: identified.user.name,
      userDomainId: identified.user.domainId,
      userEnabled: true,
      projectName: scope.project?.name ?? null,
      projectEnabled: scope.project ? true : null,
      roles: scope.roles,
    });
    return { token: secret, info };
  }

  async validate(token: string): Promise<AuthContext | null> {
    const live = await this.live(token);
    if (!live) return null;
    return {
      userId: live.token.userId,
      userName: live.userName,
      userDomainId: live.userDomainId,
      projectId: live.token.projectId,
      projectName: live.projectName,
      systemScope: live.token.systemScope,
      roles: live.roles.map((role) => role.name.toLowerCase()),
      tokenExpiresAt: live.token.expiresAt,
    };
  }

  /** The token's full description (GET /v3/auth/tokens), or null when it is not live. */
  async describe(token: string): Promise<TokenInfo | null> {
    const live = await this.live(token);
    return live ? this.describeLive(live) : null;
  }

  /** Revokes a live token; false when it is unknown, expired or already revoked. */
  async revoke(token: string): Promise<boolean> {
    const live = await this.live(token);
    return live ? this.tokens.revoke(live.token.hash) : false;
  }

  async purgeExpired(): Promise<number> {
    return this.tokens.deleteExpired(new Date().toISOString());
  }

  private async live(token: string): Promise<LiveToken | null> {
    const subject = await this.tokens.findSubject(hashToken(token));
    if (!subject || subject.token.revoked || !subject.userEnabled) return null;
    if (subject.token.expiresAt <= new Date().toISOString()) return null;
    const { projectId, systemScope } = subject.token;
    if (projectId !== null && subject.projectEnabled !== true) return null;
    const target = projectId ?? (systemScope ? SYSTEM_TARGET : null);
    if (target === null) return { ...subject, roles: [] };
    const roles = await this.roles.rolesOn(subject.token.userId, target);
    return roles.length > 0 ? { ...subject, roles } : null;
  }

  private async describeLive(live: LiveToken): Promise<TokenInfo> {
    const { token } = live;
    const project = token.projectId === null ? null : await this.directory.findProject(token.projectId);
    return {
      methods: token.methods,
      auditId: token.auditId,
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
      user: { id: token.userId, name: live.userName, domain: await this.domainRef(live.userDomainId) },
      project: project && {
        id: project.id,
        name: project.name,
        domain: await this.domainRef(project.domainId),
      },
      system: token.systemScope,
      roles: live.roles,
    };
  }

  private async domainRef(id: string): Promise<NamedRef> {
    const domain = await this.directory.findDomain(id);
    return { id, name: domain?.name ?? id };
  }
}
