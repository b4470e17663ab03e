import { CliError } from '../cli-error.ts';
import type { CommandSpec, Io } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';
import { collect, connectionFields, PAGE_SIZE, type Connection } from '../paginate.ts';

const USER_FIELDS = 'id name isAdmin hasPassword createdAt';

interface User {
  readonly id: string;
  readonly name: string;
  readonly isAdmin: boolean;
  readonly hasPassword: boolean;
  readonly createdAt: string;
}

/** Passwords are read from stdin, never from the command line, where `ps` and shell history see them. */
const MAX_STDIN_BYTES = 8 * 1024;

/**
 * The lines on stdin (up to `count`), without their line ends. `io.stdin` when the caller
 * provides one (tests), else the process's.
 * @throws CliError('INVALID_INPUT') when fewer non-empty lines arrive, or more than 8 KiB
 */
export async function readStdinLines(io: Io, count: number, what: string): Promise<string[]> {
  const input = io.stdin ?? process.stdin;
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.length > MAX_STDIN_BYTES) throw new CliError('INVALID_INPUT', `stdin holds more than ${MAX_STDIN_BYTES} bytes; expected ${what}`);
  }
  const lines = text.split(/\r?\n/).slice(0, count);
  if (lines.length < count || lines.some((line) => line === '')) throw new CliError('INVALID_INPUT', `expected ${what} on stdin`);
  return lines;
}

const CREATE = `mutation($name: String!, $password: String, $admin: Boolean) {
  createUser(name: $name, password: $password, admin: $admin) { ${ERROR_FIELDS} ... on User { ${USER_FIELDS} } }
}`;

/** `sheaf user create <name> [--admin] [--password-stdin]` (administrators). */
export const userCreateCommand: CommandSpec = {
  name: 'user create',
  summary: 'create a user (administrators)',
  synopsis: 'user create <name> [--admin] [--password-stdin]',
  description:
    'Creates a user. With --password-stdin the first line of stdin is its password (12 to 1024 characters); without, the user works with API tokens only (make one with "sheaf token create --user <name>").',
  positionals: ['name'],
  options: { admin: { type: 'boolean' }, 'password-stdin': { type: 'boolean' } },
  optionHelp: [
    ['--admin', 'make the user an instance administrator'],
    ['--password-stdin', 'read the password from the first line of stdin'],
  ],
  async run(context, args) {
    const password = args.flag('password-stdin') ? (await readStdinLines(context.io, 1, 'the password'))[0] : null;
    const data = await context.graphql.request<{ createUser: UnionResult }>(CREATE, {
      name: args.positional('name'),
      password,
      admin: args.flag('admin'),
    });
    const user = unwrap<UnionResult & User>(data.createUser, 'User');
    const { __typename, ...json } = user;
    void __typename;
    return { json, text: `created ${user.isAdmin ? 'administrator' : 'user'} ${user.name}` };
  },
};

const PASSWD = `mutation($user: String, $password: String!, $currentPassword: String) {
  setPassword(user: $user, password: $password, currentPassword: $currentPassword) { ${ERROR_FIELDS} ... on User { name } }
}`;

/** `sheaf user passwd [--user <name>]`, passwords on stdin. */
export const userPasswdCommand: CommandSpec = {
  name: 'user passwd',
  summary: 'change a password (read from stdin)',
  synopsis: 'user passwd [--user <name>]',
  description:
    'Changes your password: stdin holds the current password on its first line and the new one on its second. Administrators set another user\'s with --user, stdin holding only the new password. The user\'s other sessions end.',
  positionals: [],
  options: { user: { type: 'string' } },
  optionHelp: [['--user <name>', 'whose password, for administrators (default: yours)']],
  async run(context, args) {
    const user = args.string('user');
    let variables: Record<string, unknown>;
    if (user === undefined) {
      const [currentPassword, password] = await readStdinLines(context.io, 2, 'the current password and the new one, on two lines');
      variables = { user: null, password, currentPassword };
    } else {
      const [password] = await readStdinLines(context.io, 1, 'the new password');
      variables = { user, password, currentPassword: null };
    }
    const data = await context.graphql.request<{ setPassword: UnionResult }>(PASSWD, variables);
    const changed = unwrap<UnionResult & { name: string }>(data.setPassword, 'User');
    return { json: { user: changed.name }, text: `changed the password of ${changed.name}` };
  },
};

const LIST = `query($first: Int!, $after: String) {
  users(first: $first, after: $after) { ${connectionFields(USER_FIELDS)} }
}`;

/** `sheaf user list` (administrators). */
export const userListCommand: CommandSpec = {
  name: 'user list',
  summary: 'list users (administrators)',
  synopsis: 'user list',
  positionals: [],
  options: {},
  async run(context) {
    const users = await collect(async (after) => (await context.graphql.request<{ users: Connection<User> }>(LIST, { first: PAGE_SIZE, after })).users);
    return { json: users, text: users.map((u) => `${u.name}${u.isAdmin ? '  admin' : ''}`).join('\n') };
  },
};

const ME = `query { me { ${ERROR_FIELDS} ... on Me { user { ${USER_FIELDS} } memberships { project role branches } credential scopes } } }`;

interface Me {
  readonly user: User;
  readonly memberships: readonly { readonly project: string; readonly role: string; readonly branches: readonly string[] }[];
  readonly credential: string;
  readonly scopes: readonly string[];
}

/** `sheaf whoami`: the user and roles behind SHEAF_TOKEN. */
export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  summary: 'show who SHEAF_TOKEN belongs to, and its roles',
  synopsis: 'whoami',
  positionals: [],
  options: {},
  async run(context) {
    const data = await context.graphql.request<{ me: UnionResult }>(ME);
    const me = unwrap<UnionResult & Me>(data.me, 'Me');
    const { __typename, ...json } = me;
    void __typename;
    const roles = me.memberships.map((m) => `  ${m.project}: ${m.role}${m.branches.length > 0 ? ` (${m.branches.join(', ')})` : ''}`);
    return {
      json,
      text: [`${me.user.name}${me.user.isAdmin ? ' (administrator)' : ''}, ${me.credential} with scopes ${me.scopes.join(', ')}`, ...roles].join('\n'),
    };
  },
};
