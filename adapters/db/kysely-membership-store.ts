import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../../core/errors.ts';
import type { Membership } from '../../services/access/membership.ts';
import type { Role } from '../../services/access/roles.ts';
import type { MembershipStore, ProjectMember, UserMembership } from '../../services/identity/identity-store.ts';
import type { Database } from './database.ts';

/**
 * `MembershipStore` (and the `MembershipReader` AccessControl asks) on the `memberships`
 * table. Projects are named by name here, as clients and the access checks name them; the
 * table holds their ids.
 */
export class KyselyMembershipStore implements MembershipStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(userId: string, project: string): Promise<Membership | null> {
    const row = await this.db
      .selectFrom('memberships as m')
      .innerJoin('projects as p', 'p.id', 'm.project_id')
      .select(['m.role', 'm.branches'])
      .where('m.user_id', '=', userId)
      .where('p.name', '=', project)
      .executeTakeFirst();
    return row ? { role: row.role as Role, branches: row.branches } : null;
  }

  /**
   * One upsert, selecting the project by name, so a project deleted meanwhile is a NotFound
   * and not a foreign key failure. The membership keeps its original `created_at`.
   */
  async put(input: { project: string; userId: string; role: Role; branches: readonly string[] }): Promise<ProjectMember> {
    const row = await this.db
      .insertInto('memberships')
      .columns(['project_id', 'user_id', 'role', 'branches'])
      .expression((eb) =>
        eb
          .selectFrom('projects')
          .select((s) => [
            'id',
            s.val(input.userId).as('user_id'),
            s.val(input.role).as('role'),
            sql<string[]>`${[...input.branches]}::text[]`.as('branches'),
          ])
          .where('name', '=', input.project),
      )
      .onConflict((oc) =>
        oc.columns(['project_id', 'user_id']).doUpdateSet((eb) => ({ role: eb.ref('excluded.role'), branches: eb.ref('excluded.branches') })),
      )
      .returning(['role', 'branches', 'created_at'])
      .executeTakeFirst();
    if (!row) throw new NotFoundError('project', input.project);
    const user = await this.db.selectFrom('users').select('name').where('id', '=', input.userId).executeTakeFirstOrThrow();
    return { project: input.project, userId: input.userId, user: user.name, role: row.role as Role, branches: row.branches, createdAt: row.created_at };
  }

  async remove(project: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('memberships')
      .where('user_id', '=', userId)
      .where('project_id', '=', (eb) => eb.selectFrom('projects').select('id').where('name', '=', project))
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listByProject(project: string): Promise<ProjectMember[]> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('projects as p', 'p.id', 'm.project_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'u.name', 'm.role', 'm.branches', 'm.created_at'])
      .where('p.name', '=', project)
      .orderBy('u.name')
      .execute();
    return rows.map((row) => ({ project, userId: row.user_id, user: row.name, role: row.role as Role, branches: row.branches, createdAt: row.created_at }));
  }

  async listByUser(userId: string): Promise<UserMembership[]> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('projects as p', 'p.id', 'm.project_id')
      .select(['p.name', 'm.role', 'm.branches'])
      .where('m.user_id', '=', userId)
      .orderBy('p.name')
      .execute();
    return rows.map((row) => ({ project: row.name, role: row.role as Role, branches: row.branches }));
  }

  /** Selects the owner rows `for update` (an aggregate cannot lock) and counts them. */
  async countOwners(project: string): Promise<number> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('projects as p', 'p.id', 'm.project_id')
      .select('m.user_id')
      .where('p.name', '=', project)
      .where('m.role', '=', 'owner')
      .forUpdate('m')
      .execute();
    return rows.length;
  }

  async addOwnerToAllProjects(userId: string): Promise<number> {
    const result = await this.db
      .insertInto('memberships')
      .columns(['project_id', 'user_id', 'role'])
      .expression((eb) => eb.selectFrom('projects').select((s) => ['id', s.val(userId).as('user_id'), s.val('owner').as('role')]))
      .onConflict((oc) => oc.columns(['project_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
}
