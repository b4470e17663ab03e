// The identity types are imported before the server so that the schema it builds has them
// whatever schema/index.ts lists.
import '../../schema/types/membership.ts';
import '../../schema/types/token.ts';
import '../../schema/types/user.ts';
import { Readable, Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memberListCommand, memberRemoveCommand, memberSetCommand } from '../../cli/commands/member.ts';
import { projectCreateCommand, projectListCommand } from '../../cli/commands/project.ts';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from '../../cli/commands/token.ts';
import { userCreateCommand, userListCommand, userPasswdCommand, whoamiCommand } from '../../cli/commands/user.ts';
import { run } from '../../cli/run.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const COMMANDS = [
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
  userCreateCommand,
  userPasswdCommand,
  userListCommand,
  whoamiCommand,
  memberSetCommand,
  memberListCommand,
  memberRemoveCommand,
  projectCreateCommand,
  projectListCommand,
];

const test = suite('identity commands');
let server: TestServer;
let adminToken: string;

test.before(async () => {
  server = await startTestServer();
  adminToken = server.server.bootstrapToken!;
});
test.after(async () => server?.close());

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { stream, text: () => text };
}

async function sheaf(argv: string[], options: { token?: string; stdin?: string } = {}) {
  const stdout = capture();
  const stderr = capture();
  const io = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { SHEAF_URL: server.url, SHEAF_TOKEN: options.token ?? adminToken },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
  };
  const code = await run(argv, io, COMMANDS);
  const out = stdout.text();
  let json: any;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, stdout: out, stderr: stderr.text(), json };
}

test('token create prints the token alone on stdout, once, and it works', async () => {
  const created = await sheaf(['token', 'create', '--name', 'laptop', '--scopes', 'read', '--expires-in-days', '30']);
  assert.is(created.code, 0, created.stderr);
  assert.match(created.stdout, /^shf_[a-z2-7]{12}_[A-Za-z0-9_-]{43}\n$/);
  assert.match(created.stderr, /created token [a-z2-7]{12} "laptop" for admin \(read; expires .*\)\.\nStore it now: it will not be shown again\./);
  const token = created.stdout.trim();
  const listed = await sheaf(['token', 'list', '--json'], { token });
  assert.is(listed.code, 0, listed.stderr);
  assert.equal(listed.json.map((t: { name: string }) => t.name), ['laptop', 'bootstrap']);
  assert.not.match(listed.stdout, token.slice(-43));
  const text = await sheaf(['token', 'list'], { token });
  assert.match(text.stdout, /^[a-z2-7]{12} {2}laptop {2}read {2}expires \S+ {2}used /m);
});

test('token create --json; a scope the credential lacks is FORBIDDEN; a bad day count is a usage error', async () => {
  const created = await sheaf(['token', 'create', '--name', 'reader', '--scopes', 'read', '--json']);
  assert.is(created.code, 0);
  assert.equal([created.json.name, created.json.scopes, created.json.expiresAt, created.json.user], ['reader', ['read'], null, 'admin']);
  assert.match(created.json.token, /^shf_/);
  assert.is(created.stderr, '');
  const escalate = await sheaf(['token', 'create', '--name', 'more', '--scopes', 'read,write', '--json'], { token: created.json.token });
  assert.is(escalate.code, 1);
  assert.is(escalate.json.error.code, 'FORBIDDEN');
  const badScope = await sheaf(['token', 'create', '--name', 'x', '--scopes', 'root', '--json']);
  assert.is(badScope.json.error.code, 'INVALID_INPUT');
  for (const days of ['0', 'abc', '1.5', '-3']) assert.is((await sheaf(['token', 'create', '--name', 'x', '--expires-in-days', days])).code, 2, days);
  assert.is((await sheaf(['token', 'create'])).code, 2);
});

test('token revoke stops a token at once; an unknown id is NOT_FOUND', async () => {
  const created = await sheaf(['token', 'create', '--name', 'short-lived', '--json']);
  const revoked = await sheaf(['token', 'revoke', created.json.id]);
  assert.is(revoked.code, 0);
  assert.is(revoked.stdout, `revoked token ${created.json.id} "short-lived"\n`);
  // The server refuses the request before GraphQL, with its HTTP error body and 401.
  const refused = await sheaf(['token', 'list', '--json'], { token: created.json.token });
  assert.is.not(refused.code, 0);
  assert.match(refused.stdout, /UNAUTHENTICATED|HTTP 401/);
  assert.is((await sheaf(['token', 'revoke', 'aaaaaaaaaaaa', '--json'])).json.error.code, 'NOT_FOUND');
});

test('user create with a password from stdin; the user signs in; bad passwords change nothing', async () => {
  const created = await sheaf(['user', 'create', 'alice', '--password-stdin', '--json'], { stdin: 'alice first password\n' });
  assert.is(created.code, 0, created.stdout);
  assert.equal([created.json.name, created.json.hasPassword, created.json.isAdmin], ['alice', true, false]);
  const signIn = await fetch(`${server.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alice', password: 'alice first password' }) });
  assert.is(signIn.status, 201);
  const short = await sheaf(['user', 'create', 'bob', '--password-stdin', '--json'], { stdin: 'short\n' });
  assert.is(short.json.error.code, 'INVALID_INPUT');
  const empty = await sheaf(['user', 'create', 'bob', '--password-stdin', '--json'], { stdin: '' });
  assert.is(empty.json.error.code, 'INVALID_INPUT');
  const users = await sheaf(['user', 'list', '--json']);
  assert.equal(users.json.map((u: { name: string }) => u.name), ['admin', 'alice']);
  const admin = await sheaf(['user', 'create', 'carol', '--admin']);
  assert.is(admin.stdout, 'created administrator carol\n');
});

test('user passwd: own with the current password, others as administrator', async () => {
  await sheaf(['user', 'create', 'dave', '--password-stdin'], { stdin: 'dave first password\n' });
  const token = (await sheaf(['token', 'create', '--name', 'dave', '--user', 'dave', '--json'])).json.token as string;
  const wrong = await sheaf(['user', 'passwd', '--json'], { token, stdin: 'not my password\ndave second password\n' });
  assert.is(wrong.json.error.code, 'INVALID_INPUT');
  const oneLine = await sheaf(['user', 'passwd', '--json'], { token, stdin: 'dave second password\n' });
  assert.is(oneLine.json.error.code, 'INVALID_INPUT');
  const changed = await sheaf(['user', 'passwd'], { token, stdin: 'dave first password\ndave second password\n' });
  assert.is(changed.stdout, 'changed the password of dave\n');
  const reset = await sheaf(['user', 'passwd', '--user', 'dave'], { stdin: 'reset by the admin\n' });
  assert.is(reset.code, 0);
  const notAdmin = await sheaf(['user', 'passwd', '--user', 'admin', '--json'], { token, stdin: 'taken over by dave\n' });
  assert.is(notAdmin.json.error.code, 'FORBIDDEN');
});

test('whoami shows the user, credential, scopes and roles', async () => {
  const me = await sheaf(['whoami', '--json']);
  assert.is(me.json.user.name, 'admin');
  assert.equal(me.json.scopes, ['read', 'write', 'admin']);
  assert.match(me.json.credential, /^token:[a-z2-7]{12}$/);
  assert.equal(me.json.memberships, [{ project: 'default', role: 'owner', branches: [] }]);
  const text = await sheaf(['whoami']);
  assert.match(text.stdout, /^admin \(administrator\), token:\S+ with scopes read, write, admin\n {2}default: owner\n$/);
});

test('project create, member set/list/remove in --project, last owner kept', async () => {
  const created = await sheaf(['project', 'create', 'birds']);
  assert.is(created.stdout, 'created project birds\n');
  assert.ok((await sheaf(['project', 'list', '--json'])).json.some((p: { name: string }) => p.name === 'birds'));
  await sheaf(['user', 'create', 'erin']);
  const set = await sheaf(['member', 'set', 'erin', 'labeler', '--branches', 'gulls@main, owls@main', '--project', 'birds']);
  assert.is(set.stdout, 'erin is labeler of birds on gulls@main, owls@main\n');
  const listed = await sheaf(['member', 'list', '--project', 'birds', '--json']);
  assert.equal(listed.json.map((m: { user: string; role: string; branches: string[] }) => [m.user, m.role, m.branches]), [
    ['admin', 'owner', []],
    ['erin', 'labeler', ['gulls@main', 'owls@main']],
  ]);
  const badBranch = await sheaf(['member', 'set', 'erin', 'viewer', '--branches', 'gulls@main', '--project', 'birds', '--json']);
  assert.is(badBranch.json.error.code, 'INVALID_INPUT');
  assert.is((await sheaf(['member', 'remove', 'erin', '--project', 'birds'])).stdout, 'removed erin from birds\n');
  const lastOwner = await sheaf(['member', 'remove', 'admin', '--project', 'birds', '--json']);
  assert.is(lastOwner.code, 1);
  assert.is(lastOwner.json.error.code, 'INVALID_INPUT');
  assert.is((await sheaf(['member', 'list', '--project', 'birds'])).stdout, 'admin  owner\n');
});

test.run();
