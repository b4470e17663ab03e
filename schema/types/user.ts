import { credentialLabel } from '../../services/actor.ts';
import { requireSignedIn } from '../../services/access/access-control.ts';
import type { Me } from '../../services/identity/identity-service.ts';
import type { User } from '../../services/identity/identity-store.ts';
import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';
import { ProjectMembershipRef } from './membership.ts';

export const UserRef = builder.objectRef<User>('User').implement({
  description: 'Someone who signs in with a password or calls the API with tokens.',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    isAdmin: t.exposeBoolean('isAdmin', { description: 'Instance administrators manage users, projects and memberships.' }),
    hasPassword: t.exposeBoolean('hasPassword', { description: 'False for users who only use API tokens.' }),
    createdAt: t.string({ resolve: (u) => u.createdAt.toISOString() }),
  }),
});

const MeRef = builder.objectRef<Me>('Me').implement({
  description: 'The caller: its user, its roles, and what the credential in use allows.',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (me) => me.user }),
    memberships: t.field({ type: [ProjectMembershipRef], description: 'In project name order.', resolve: (me) => [...me.memberships] }),
    credential: t.string({ description: '"token:<id>" or "session:<id>".', resolve: (me) => credentialLabel(me.credential) }),
    scopes: t.stringList({ description: 'The credential\'s scopes: read, write, admin.', resolve: (me) => [...me.scopes] }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({
    type: MeRef,
    authScopes: { credential: 'read' },
    errors: typedErrors,
    resolve: (_, __, ctx) => ctx.services.identity.me(requireSignedIn(ctx.actor)),
  }),
  users: t.connection({
    type: UserRef,
    description: 'Every user in name order; for administrators.',
    authScopes: { credential: 'admin' },
    resolve: (_, args, ctx) =>
      forwardConnection(args, (after, limit) => ctx.services.identity.listUsers(requireSignedIn(ctx.actor), { after, limit }), (u) => u.name),
  }),
}));

builder.mutationFields((t) => ({
  createUser: t.field({
    type: UserRef,
    description: 'For administrators. Without a password the user signs in with API tokens only (an administrator makes its first one).',
    authScopes: { credential: 'admin' },
    args: {
      name: t.arg.string({ required: true, description: '1-64 letters, digits, ".", "_", "-".' }),
      password: t.arg.string({ description: '12 to 1024 characters.' }),
      admin: t.arg.boolean({ description: 'Make the user an instance administrator.' }),
    },
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.identity.createUser(requireSignedIn(ctx.actor), args),
  }),
  // The read scope suffices at this level: changing one's own password needs the current one,
  // and an administrator changing another's needs the admin scope (checked by the service).
  setPassword: t.field({
    type: UserRef,
    description: 'Changes the caller\'s password (giving the current one), or, for administrators, any user\'s. Ends the user\'s other sessions.',
    authScopes: { credential: 'read' },
    args: {
      user: t.arg.string({ description: 'Default: the caller.' }),
      password: t.arg.string({ required: true, description: '12 to 1024 characters.' }),
      currentPassword: t.arg.string({ description: 'Required when changing one\'s own password, unless an administrator.' }),
    },
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.identity.setPassword(requireSignedIn(ctx.actor), args),
  }),
}));
