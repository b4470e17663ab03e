import { sql, type Kysely, type Selectable } from 'kysely';
import { AlreadyExistsError } from '../../core/errors.ts';
import type { PageRequest } from '../../core/model.ts';
import type { Scope } from '../../services/actor.ts';
import type { ApiTokenInfo, ApiTokenRecord, IdentityStore, SessionRecord, User, UserRecord } from '../../services/identity/identity-store.ts';
import type { ApiTokensTable, Database, UsersTable } from './database.ts';
import { inTransaction } from './in-transaction.ts';
import { KyselyMembershipStore } from './kysely-membership-store.ts';
import { UNIQUE_VIOLATION, sqlErrorOf } from './sql-state.ts';

/**
 * `IdentityStore` on the `users`, `api_tokens` and `sessions` tables (and `memberships`
 * through KyselyMembershipStore). Bound to one database or one transaction; `transaction`
 * hands `work` a store bound to a transaction.
 */
export class KyselyIdentityStore implements IdentityStore {
  readonly memberships: KyselyMembershipStore;

  constructor(private readonly db: Kysely<Database>) {
    this.memberships = new KyselyMembershipStore(db);
  }

  transaction<T>(work: (tx: IdentityStore) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (trx) => work(trx === this.db ? this : new KyselyIdentityStore(trx)));
  }

  /** `on conflict do nothing`, so a taken name does not abort the caller's transaction. */
  async createUser(user: { id: string; name: string; passwordHash: string | null; isAdmin: boolean }): Promise<User> {
    let row: Selectable<UsersTable> | undefined;
    try {
      row = await this.db
        .insertInto('users')
        .values({ id: user.id, name: user.name, password_hash: user.passwordHash, is_admin: user.isAdmin })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll()
        .executeTakeFirst();
    } catch (error) {
      if (sqlErrorOf(error).code === UNIQUE_VIOLATION) throw new AlreadyExistsError('user', user.name);
      throw error;
    }
    if (!row) throw new AlreadyExistsError('user', user.name);
    return toUser(row);
  }

  async getUserById(id: string): Promise<UserRecord | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUserRecord(row) : null;
  }

  async getUserByName(name: string): Promise<UserRecord | null> {
    const row = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toUserRecord(row) : null;
  }

  async listUsers(page: PageRequest): Promise<User[]> {
    if (page.limit <= 0) return [];
    let query = this.db.selectFrom('users').selectAll();
    if (page.after !== undefined) query = query.where('name', '>', page.after);
    return (await query.orderBy('name').limit(page.limit).execute()).map(toUser);
  }

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** `exclusive` mode: plain reads go on, writes and other lockers wait. */
  async lockUsers(): Promise<void> {
    if (!this.db.isTransaction) throw new Error('lockUsers needs a transaction: a lock outside one ends with its statement');
    await sql`lock table users in exclusive mode`.execute(this.db);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  }

  async insertToken(token: { id: string; userId: string; name: string; secretHash: string; scopes: readonly Scope[]; expiresAt: Date | null }): Promise<ApiTokenInfo> {
    await this.db
      .insertInto('api_tokens')
      .values({ id: token.id, user_id: token.userId, name: token.name, secret_hash: token.secretHash, scopes: [...token.scopes], expires_at: token.expiresAt })
      .execute();
    return toTokenInfo((await this.getToken(token.id))!);
  }

  async getToken(id: string): Promise<ApiTokenRecord | null> {
    const row = await this.tokensWithOwner().where('t.id', '=', id).executeTakeFirst();
    return row ? toTokenRecord(row) : null;
  }

  async listTokens(userId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.tokensWithOwner().where('t.user_id', '=', userId).orderBy('t.created_at', 'desc').orderBy('t.id').execute();
    return rows.map((row) => toTokenInfo(toTokenRecord(row)));
  }

  async revokeToken(id: string, at: Date): Promise<ApiTokenInfo | null> {
    await this.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    const token = await this.getToken(id);
    return token ? toTokenInfo(token) : null;
  }

  async touchToken(id: string, at: Date, notBefore: Date): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notBefore)]))
      .execute();
  }

  async insertSession(session: { id: string; userId: string; secretHash: string; csrfToken: string; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id: session.id, user_id: session.userId, secret_hash: session.secretHash, csrf_token: session.csrfToken, expires_at: session.expiresAt })
      .execute();
  }

  async findSession(secretHash: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id', 's.user_id', 's.csrf_token', 's.created_at', 's.expires_at', 'u.name', 'u.is_admin'])
      .where('s.secret_hash', '=', secretHash)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      userId: row.user_id,
      user: row.name,
      userIsAdmin: row.is_admin,
      csrfToken: row.csrf_token,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async deleteSession(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async deleteSessionsOfUser(userId: string, keep: string | null = null): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keep !== null) query = query.where('id', '!=', keep);
    return Number((await query.executeTakeFirst()).numDeletedRows);
  }

  private tokensWithOwner() {
    return this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .selectAll('t')
      .select(['u.name as user_name', 'u.is_admin as user_is_admin']);
  }
}

function toUser(row: Selectable<UsersTable>): User {
  return { id: row.id, name: row.name, isAdmin: row.is_admin, hasPassword: row.password_hash !== null, createdAt: row.created_at };
}

function toUserRecord(row: Selectable<UsersTable>): UserRecord {
  return { ...toUser(row), passwordHash: row.password_hash };
}

function toTokenRecord(row: Selectable<ApiTokensTable> & { user_name: string; user_is_admin: boolean }): ApiTokenRecord {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id,
    user: row.user_name,
    scopes: row.scopes as Scope[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    secretHash: row.secret_hash,
    userIsAdmin: row.user_is_admin,
  };
}

function toTokenInfo(token: ApiTokenRecord): ApiTokenInfo {
  const { secretHash, userIsAdmin, ...info } = token;
  void secretHash;
  void userIsAdmin;
  return info;
}
