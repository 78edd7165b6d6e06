// The identity service: one object wiring repositories, tokens, the directory and roles together. The API
// authenticates every request through validateToken; Keystone routes use the rest.
import type { SluiceConfig } from '../config/config.ts';
import type { Store } from '../store/database.ts';
import { IdentityRepository } from '../store/repositories/identity-repository.ts';
import { RoleRepository } from '../store/repositories/role-repository.ts';
import { TokenRepository } from '../store/repositories/token-repository.ts';
import type { AuthContext } from './auth-context.ts';
import { Authenticator } from './authenticator.ts';
import { type BootstrapResult, bootstrapIdentity } from './bootstrap.ts';
import { Directory } from './directory.ts';
import type { AuthRequest, IssuedToken, TokenInfo } from './identity-types.ts';
import { RoleDirectory } from './role-directory.ts';
import { TokenService } from './token-service.ts';

export class IdentityService {
  /** domains, projects and users */
  readonly directory: Directory;
  /** roles, grants and role assignments */
  readonly roles: RoleDirectory;
  readonly #tokens: TokenService;
  readonly #identities: IdentityRepository;
  readonly #roleRows: RoleRepository;
  readonly #config: SluiceConfig;

  constructor(store: Store, config: SluiceConfig) {
    this.#config = config;
    this.#identities = new IdentityRepository(store.db);
    this.#roleRows = new RoleRepository(store.db);
    const authenticator = new Authenticator(this.#identities, this.#roleRows);
    this.#tokens = new TokenService(
      this.#identities,
      this.#roleRows,
      new TokenRepository(store.db),
      authenticator,
      config,
    );
    this.directory = new Directory(this.#identities);
    this.roles = new RoleDirectory(this.#identities, this.#roleRows);
  }

  /** Creates the Default domain, roles, admin project and admin user when missing; never logs the password. */
  async bootstrap(): Promise<BootstrapResult> {
    const result = await bootstrapIdentity(this.#identities, this.#roleRows, this.#config);
    await this.#tokens.purgeExpired();
    return result;
  }

  /** The caller behind a token, or null when the token is unknown, expired, revoked or lost its access. */
  validateToken(token: string): Promise<AuthContext | null> {
    return this.#tokens.validate(token);
  }

  /** POST /v3/auth/tokens; throws identity.invalid-credentials (401) when authentication or scoping fails. */
  issueToken(request: AuthRequest): Promise<IssuedToken> {
    return this.#tokens.issue(request);
  }

  describeToken(token: string): Promise<TokenInfo | null> {
    return this.#tokens.describe(token);
  }

  /** False when the token was not live (unknown, expired or already revoked). */
  revokeToken(token: string): Promise<boolean> {
    return this.#tokens.revoke(token);
  }

  /** Deletes expired tokens; returns how many. */
  purgeExpiredTokens(): Promise<number> {
    return this.#tokens.purgeExpired();
  }
}
