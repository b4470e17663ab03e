import { requireSignedIn } from '../../services/access/access-control.ts';
import type { CreatedToken } from '../../services/identity/identity-service.ts';
import type { ApiTokenInfo } from '../../services/identity/identity-store.ts';
import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export const ApiTokenRef = builder.objectRef<ApiTokenInfo>('ApiToken').implement({
  description: 'An API token, without its secret: that is shown once, when it is created.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Names the token in lists and the audit log; not a credential.' }),
    name: t.exposeString('name'),
    user: t.exposeString('user', { description: 'The owner\'s name.' }),
    scopes: t.stringList({ description: 'read, write, admin.', resolve: (token) => [...token.scopes] }),
    createdAt: t.string({ resolve: (token) => token.createdAt.toISOString() }),
    expiresAt: t.string({ nullable: true, description: 'Null: never.', resolve: (token) => iso(token.expiresAt) }),
    revokedAt: t.string({ nullable: true, resolve: (token) => iso(token.revokedAt) }),
    lastUsedAt: t.string({ nullable: true, description: 'Updated at most once a minute.', resolve: (token) => iso(token.lastUsedAt) }),
  }),
});

const CreatedTokenRef = builder.objectRef<CreatedToken>('CreatedToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The token itself, for `Authorization: Bearer …`. Shown this once: only its hash is kept.' }),
    info: t.field({ type: ApiTokenRef, resolve: (created) => created.info }),
  }),
});

const TokenListRef = builder.objectRef<{ user: string; tokens: ApiTokenInfo[] }>('TokenList').implement({
  fields: (t) => ({
    user: t.exposeString('user'),
    tokens: t.field({ type: [ApiTokenRef], description: 'Newest first, revoked and expired ones included.', resolve: (l) => l.tokens }),
  }),
});

builder.queryField('tokens', (t) =>
  t.field({
    type: TokenListRef,
    description: 'The caller\'s API tokens or, for administrators, another user\'s.',
    authScopes: { credential: 'read' },
    args: { user: t.arg.string({ description: 'Default: the caller.' }) },
    errors: typedErrors,
    resolve: async (_, { user }, ctx) => {
      const actor = requireSignedIn(ctx.actor);
      return { user: user ?? actor.name, tokens: await ctx.services.identity.listTokens(actor, { user }) };
    },
  }),
);

// The read scope suffices at this level: a credential can only create or revoke tokens with
// scopes it holds itself (checked by the service), so a read token can make read tokens only.
builder.mutationFields((t) => ({
  createToken: t.field({
    type: CreatedTokenRef,
    description: 'Creates an API token for the caller or, for administrators, another user. Its scopes must all be held by the calling credential.',
    authScopes: { credential: 'read' },
    args: {
      name: t.arg.string({ required: true, description: 'What the token is for, e.g. "CI on main".' }),
      scopes: t.arg.stringList({ required: true, description: 'Some of read, write, admin.' }),
      expiresAt: t.arg.string({ description: 'ISO 8601 with a zone; at most ten years ahead.' }),
      expiresInDays: t.arg.int({ description: 'Instead of expiresAt: 1 to 3650. Neither: never expires.' }),
      user: t.arg.string({ description: 'Default: the caller.' }),
    },
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.identity.createToken(requireSignedIn(ctx.actor), args),
  }),
  revokeToken: t.field({
    type: ApiTokenRef,
    description: 'Revokes one of the caller\'s tokens (the calling credential must hold all its scopes) or, for administrators, anyone\'s. Another user\'s token is NOT_FOUND.',
    authScopes: { credential: 'read' },
    args: { id: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: (_, { id }, ctx) => ctx.services.identity.revokeToken(requireSignedIn(ctx.actor), id),
  }),
}));
