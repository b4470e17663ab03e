import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KyselyAuditStore } from '../../../adapters/db/kysely-audit-store.ts';
import { KyselyIdentityStore } from '../../../adapters/db/kysely-identity-store.ts';
import type { ProjectName } from '../../../core/ids.ts';
import { AccessControl } from '../../../services/access/access-control.ts';
import { AuditLog } from '../../../services/audit/audit-log.ts';
import { IdentityService } from '../../../services/identity/identity-service.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../helpers/databases.ts';

function identityOn(database: TestDatabase): IdentityService {
  const store = new KyselyIdentityStore(database.db);
  const audit = new AuditLog({ store: new KyselyAuditStore(database.db) });
  const access = new AccessControl({ memberships: store.memberships, audit });
  return new IdentityService({ store, access, audit });
}

for (const kind of databaseKinds) {
  const test = suite(`IdentityService.bootstrap on ${kind}`);

  test('creates admin, owner of every project, with an all-scope token; then never again', async () => {
    const database = await openTestDatabase(kind);
    try {
      for (const name of ['vision', 'speech']) await database.store.refs.createProject(name as ProjectName);
      const identity = identityOn(database);
      const token = await identity.bootstrap();
      assert.match(token!, /^shf_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
      const { actor } = (await identity.authenticate({ bearer: token! }))!;
      assert.is(actor.name, 'admin');
      assert.ok(actor.isAdmin);
      assert.equal([...actor.scopes], ['read', 'write', 'admin']);
      const me = await identity.me(actor);
      assert.equal(me.memberships, [
        { project: 'speech', role: 'owner', branches: [] },
        { project: 'vision', role: 'owner', branches: [] },
      ]);
      assert.is(me.user.hasPassword, false);
      const tokens = await identity.listTokens(actor);
      assert.equal(tokens.map((t) => [t.name, t.expiresAt, t.scopes]), [['bootstrap', null, ['read', 'write', 'admin']]]);

      assert.is(await identity.bootstrap(), null);
      assert.is(await identityOn(database).bootstrap(), null);
      const users = await database.db.selectFrom('users').select('name').execute();
      assert.equal(users, [{ name: 'admin' }]);
      const entries = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'instance.bootstrap').execute();
      assert.is(entries.length, 1);
      assert.is(entries[0]!.credential, 'system:bootstrap');
      assert.is(JSON.parse(entries[0]!.result!).tokenId, tokens[0]!.id);
      assert.not.match(JSON.stringify(entries), token!.slice(-43));
    } finally {
      await database.close();
    }
  });

  test('servers starting together: exactly one bootstraps, the others get null', async () => {
    const database = await openTestDatabase(kind);
    try {
      // Separate services over one database, as separate servers would have; on PostgreSQL
      // each runs on its own pooled connection.
      const results = await Promise.all(Array.from({ length: 6 }, () => identityOn(database).bootstrap()));
      assert.is(results.filter((r) => typeof r === 'string').length, 1);
      assert.is(results.filter((r) => r === null).length, 5);
      const users = await database.db.selectFrom('users').select('name').execute();
      assert.equal(users, [{ name: 'admin' }]);
      assert.is((await database.db.selectFrom('api_tokens').select('id').execute()).length, 1);
    } finally {
      await database.close();
    }
  });

  test.run();
}
