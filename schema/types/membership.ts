import type { ProjectMember, UserMembership } from '../../services/identity/identity-store.ts';
import { requireSignedIn } from '../../services/access/access-control.ts';
import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';

const ROLE_HELP = 'owner, maintainer, labeler, viewer or auditor (docs/security.md has the matrix).';

/** One of the caller's memberships, as `me` lists them. */
export const ProjectMembershipRef = builder.objectRef<UserMembership>('ProjectMembership').implement({
  description: 'A role in a project.',
  fields: (t) => ({
    project: t.exposeString('project'),
    role: t.exposeString('role', { description: ROLE_HELP }),
    branches: t.exposeStringList('branches', { description: 'Labelers: the branches they may read and label, as "dataset@branch".' }),
  }),
});

export const MemberRef = builder.objectRef<ProjectMember>('Member').implement({
  description: 'A user\'s role in a project.',
  fields: (t) => ({
    project: t.exposeString('project'),
    user: t.exposeString('user', { description: 'The user\'s name.' }),
    role: t.exposeString('role', { description: ROLE_HELP }),
    branches: t.exposeStringList('branches', { description: 'Labelers: the branches they may read and label, as "dataset@branch".' }),
    createdAt: t.string({ resolve: (m) => m.createdAt.toISOString() }),
  }),
});

const MemberListRef = builder.objectRef<{ project: string; members: ProjectMember[] }>('MemberList').implement({
  fields: (t) => ({
    project: t.exposeString('project'),
    members: t.field({ type: [MemberRef], description: 'In user name order.', resolve: (l) => l.members }),
  }),
});

const RemovedMemberRef = builder.objectRef<{ project: string; user: string }>('RemovedMember').implement({
  fields: (t) => ({ project: t.exposeString('project'), user: t.exposeString('user') }),
});

builder.queryField('members', (t) =>
  t.field({
    type: MemberListRef,
    description: 'The members of a project: for those who may read it, and administrators.',
    authScopes: { credential: 'read' },
    args: { project: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: async (_, { project }, ctx) => ({ project, members: await ctx.services.identity.listMembers(requireSignedIn(ctx.actor), project) }),
  }),
);

// Membership changes need the admin scope, as `members.manage` does (services/access/roles.ts):
// a write token must not be able to hand out roles.
builder.mutationFields((t) => ({
  setMember: t.field({
    type: MemberRef,
    description: 'Adds a user to a project or changes its role (and a labeler\'s branches). For owners and administrators. The last owner cannot be demoted.',
    authScopes: { credential: 'admin' },
    args: {
      project: t.arg.string({ required: true }),
      user: t.arg.string({ required: true }),
      role: t.arg.string({ required: true, description: ROLE_HELP }),
      branches: t.arg.stringList({ description: 'Labelers only: "dataset@branch" of each branch they may read and label; replaces the previous list.' }),
    },
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.identity.setMember(requireSignedIn(ctx.actor), args),
  }),
  removeMember: t.field({
    type: RemovedMemberRef,
    description: 'Removes a user from a project. For owners and administrators. The last owner cannot be removed.',
    authScopes: { credential: 'admin' },
    args: { project: t.arg.string({ required: true }), user: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.identity.removeMember(requireSignedIn(ctx.actor), args),
  }),
}));
