// SQL for issued tokens, keyed by the sha256 of the token (the token itself is never stored), plus the
// one-query lookup that validation runs on every API request.
import type { Kysely, Selectable } from 'kysely';
import { fromBool, fromJson, toBool, toJson } from '../codec.ts';
import type { Database, TokenTable } from '../schema.ts';
import type { TokenRecord } from './identity-records.ts';

/** A token with what validation needs of its user and project (absent project: unscoped or system). */
export type TokenSubject = Readonly<{
  token: TokenRecord;
  userName: string;
  userDomainId: string;
  userEnabled: boolean;
  projectName: string | null;
  projectEnabled: boolean | null;
}>;

export class TokenRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async insert(token: TokenRecord): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({
        hash: token.hash,
        user_id: token.userId,
        project_id: token.projectId,
        system_scope: toBool(token.systemScope),
        methods: toJson(token.methods),
        audit_id: token.auditId,
        issued_at: token.issuedAt,
        expires_at: token.expiresAt,
        revoked: toBool(token.revoked),
      })
      .execute();
  }

  async findSubject(hash: string): Promise<TokenSubject | null> {
    const row = await this.db
      .selectFrom('tokens')
      .innerJoin('users', 'users.id', 'tokens.user_id')
      .leftJoin('projects', 'projects.id', 'tokens.project_id')
      .selectAll('tokens')
      .select([
        'users.name as user_name',
        'users.domain_id as user_domain_id',
        'users.enabled as user_enabled',
        'projects.name as project_name',
        'projects.enabled as project_enabled',
      ])
      .where('tokens.hash', '=', hash)
      .executeTakeFirst();
    if (!row) return null;
    return {
      token: tokenOf(row),
      userName: row.user_name,
      userDomainId: row.user_domain_id,
      userEnabled: fromBool(row.user_enabled),
      projectName: row.project_name,
      projectEnabled: row.project_enabled === null ? null : fromBool(row.project_enabled),
    };
  }

  /** Marks a live token revoked; false when it was unknown or already revoked. */
  async revoke(hash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('tokens')
      .set({ revoked: 1 })
      .where('hash', '=', hash)
      .where('revoked', '=', 0)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Forgets tokens that expired before `before` (ISO time), optionally only one user's. */
  async deleteExpired(before: string, userId?: string): Promise<number> {
    let query = this.db.deleteFrom('tokens').where('expires_at', '<', before);
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function tokenOf(row: Selectable<TokenTable>): TokenRecord {
  return {
    hash: row.hash,
    userId: row.user_id,
    projectId: row.project_id,
    systemScope: fromBool(row.system_scope),
    methods: fromJson<string[]>(row.methods, []),
    auditId: row.audit_id,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    revoked: fromBool(row.revoked),
  };
}
