import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';

interface Member {
  readonly user: string;
  readonly role: string;
  readonly branches: readonly string[];
}

const SET = `mutation($project: String!, $user: String!, $role: String!, $branches: [String!]) {
  setMember(project: $project, user: $user, role: $role, branches: $branches) { ${ERROR_FIELDS} ... on Member { user role branches } }
}`;

/** `sheaf member set <user> <role> [--branches dataset@branch,…]` in the global --project. */
export const memberSetCommand: CommandSpec = {
  name: 'member set',
  summary: 'add a user to the project or change its role',
  synopsis: 'member set <user> <role> [--branches <dataset@branch,...>]',
  description:
    'Gives a user a role in the project: owner, maintainer, labeler, viewer or auditor. Labelers see and label only the branches listed (replacing any earlier list). For owners and administrators, with a token holding the admin scope. The last owner cannot be demoted.',
  positionals: ['user', 'role'],
  options: { branches: { type: 'string' } },
  optionHelp: [['--branches <list>', 'labelers only: comma-separated dataset@branch']],
  async run(context, args) {
    const branches = args.string('branches')?.split(',').map((b) => b.trim()).filter((b) => b !== '');
    const data = await context.graphql.request<{ setMember: UnionResult }>(SET, {
      project: context.global.project,
      user: args.positional('user'),
      role: args.positional('role'),
      branches: branches ?? null,
    });
    const member = unwrap<UnionResult & Member>(data.setMember, 'Member');
    const on = member.branches.length > 0 ? ` on ${member.branches.join(', ')}` : '';
    return {
      json: { project: context.global.project, user: member.user, role: member.role, branches: member.branches },
      text: `${member.user} is ${member.role} of ${context.global.project}${on}`,
    };
  },
};

const LIST = `query($project: String!) {
  members(project: $project) { ${ERROR_FIELDS} ... on MemberList { members { user role branches createdAt } } }
}`;

/** `sheaf member list`: the members of the global --project. */
export const memberListCommand: CommandSpec = {
  name: 'member list',
  summary: 'list the members of the project',
  synopsis: 'member list',
  positionals: [],
  options: {},
  async run(context) {
    const data = await context.graphql.request<{ members: UnionResult }>(LIST, { project: context.global.project });
    const { members } = unwrap<UnionResult & { members: (Member & { createdAt: string })[] }>(data.members, 'MemberList');
    return {
      json: members,
      text: members.map((m) => [m.user, m.role, ...(m.branches.length > 0 ? [m.branches.join(',')] : [])].join('  ')).join('\n'),
    };
  },
};

const REMOVE = `mutation($project: String!, $user: String!) {
  removeMember(project: $project, user: $user) { ${ERROR_FIELDS} ... on RemovedMember { project user } }
}`;

/** `sheaf member remove <user>` from the global --project. */
export const memberRemoveCommand: CommandSpec = {
  name: 'member remove',
  summary: 'remove a user from the project',
  synopsis: 'member remove <user>',
  description: 'Removes a user from the project. For owners and administrators; the last owner cannot be removed.',
  positionals: ['user'],
  options: {},
  async run(context, args) {
    const data = await context.graphql.request<{ removeMember: UnionResult }>(REMOVE, { project: context.global.project, user: args.positional('user') });
    const removed = unwrap<UnionResult & { project: string; user: string }>(data.removeMember, 'RemovedMember');
    return { json: { project: removed.project, user: removed.user }, text: `removed ${removed.user} from ${removed.project}` };
  },
};
