import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';

const TOKEN_FIELDS = 'id name user scopes createdAt expiresAt revokedAt lastUsedAt';

interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly user: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

const CREATE = `mutation($name: String!, $scopes: [String!]!, $expiresInDays: Int, $user: String) {
  createToken(name: $name, scopes: $scopes, expiresInDays: $expiresInDays, user: $user) {
    ${ERROR_FIELDS} ... on CreatedToken { token info { ${TOKEN_FIELDS} } }
  }
}`;

/** `sheaf token create --name <n> [--scopes read,write] [--expires-in-days <n>] [--user <u>]` */
export const tokenCreateCommand: CommandSpec = {
  name: 'token create',
  summary: 'create an API token (shown once)',
  synopsis: 'token create --name <name> [--scopes read,write] [--expires-in-days <n>] [--user <name>]',
  description:
    'Creates an API token and prints it on stdout, once: only its hash is kept. Its scopes must all be held by the token in SHEAF_TOKEN. Administrators may create tokens for other users.',
  positionals: [],
  options: { name: { type: 'string' }, scopes: { type: 'string' }, 'expires-in-days': { type: 'string' }, user: { type: 'string' } },
  requiredOptions: ['name'],
  optionHelp: [
    ['--name <name>', 'what the token is for, e.g. "CI on main"'],
    ['--scopes <list>', 'comma-separated: read, write, admin (default read,write)'],
    ['--expires-in-days <n>', 'days until it expires, 1-3650 (default: never)'],
    ['--user <name>', 'the owner, for administrators (default: yourself)'],
  ],
  async run(context, args) {
    const days = args.string('expires-in-days');
    if (days !== undefined && !/^[1-9]\d{0,3}$/.test(days)) throw new UsageError('--expires-in-days must be a whole number of days', 'token create');
    const data = await context.graphql.request<{ createToken: UnionResult }>(CREATE, {
      name: args.string('name'),
      scopes: (args.string('scopes') ?? 'read,write').split(',').map((s) => s.trim()).filter((s) => s !== ''),
      expiresInDays: days === undefined ? null : Number(days),
      user: args.string('user') ?? null,
    });
    const created = unwrap<UnionResult & { token: string; info: TokenInfo }>(data.createToken, 'CreatedToken');
    if (!context.global.json) {
      // The token alone on stdout, so `$(sheaf token create …)` captures just it.
      const expiry = created.info.expiresAt ? `expires ${created.info.expiresAt}` : 'never expires';
      context.io.stderr.write(
        `created token ${created.info.id} "${created.info.name}" for ${created.info.user} (${created.info.scopes.join(', ')}; ${expiry}).\n` +
          'Store it now: it will not be shown again.\n',
      );
    }
    return { json: { token: created.token, ...created.info }, text: created.token };
  },
};

const LIST = `query($user: String) {
  tokens(user: $user) { ${ERROR_FIELDS} ... on TokenList { user tokens { ${TOKEN_FIELDS} } } }
}`;

/** `sheaf token list [--user <name>]` */
export const tokenListCommand: CommandSpec = {
  name: 'token list',
  summary: 'list API tokens (never their secrets)',
  synopsis: 'token list [--user <name>]',
  description: 'Lists your API tokens, newest first, or (administrators) another user\'s.',
  positionals: [],
  options: { user: { type: 'string' } },
  optionHelp: [['--user <name>', 'whose tokens, for administrators (default: yours)']],
  async run(context, args) {
    const data = await context.graphql.request<{ tokens: UnionResult }>(LIST, { user: args.string('user') ?? null });
    const { tokens } = unwrap<UnionResult & { tokens: TokenInfo[] }>(data.tokens, 'TokenList');
    const rows = tokens.map((t) => [t.id, t.name, t.scopes.join(','), stateOf(t), t.lastUsedAt ? `used ${t.lastUsedAt}` : 'never used']);
    return { json: tokens, text: rows.map((row) => row.join('  ')).join('\n') };
  },
};

function stateOf(token: TokenInfo): string {
  if (token.revokedAt) return `revoked ${token.revokedAt}`;
  if (!token.expiresAt) return 'no expiry';
  return `${Date.parse(token.expiresAt) <= Date.now() ? 'expired' : 'expires'} ${token.expiresAt}`;
}

const REVOKE = `mutation($id: String!) {
  revokeToken(id: $id) { ${ERROR_FIELDS} ... on ApiToken { ${TOKEN_FIELDS} } }
}`;

/** `sheaf token revoke <id>` */
export const tokenRevokeCommand: CommandSpec = {
  name: 'token revoke',
  summary: 'revoke an API token by its id',
  synopsis: 'token revoke <id>',
  description: 'Revokes one of your tokens (or, for administrators, anyone\'s): it stops working at once.',
  positionals: ['id'],
  options: {},
  async run(context, args) {
    const data = await context.graphql.request<{ revokeToken: UnionResult }>(REVOKE, { id: args.positional('id') });
    const token = unwrap<UnionResult & TokenInfo>(data.revokeToken, 'ApiToken');
    const { __typename, ...info } = token;
    void __typename;
    return { json: info, text: `revoked token ${token.id} "${token.name}"` };
  },
};
