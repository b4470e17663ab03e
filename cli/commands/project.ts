import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';
import { collect, connectionFields, PAGE_SIZE, type Connection } from '../paginate.ts';

const CREATE = `mutation($name: String!) {
  createProject(name: $name) { ${ERROR_FIELDS} ... on Project { name createdAt } }
}`;

/** `sheaf project create <name>`: a new project, owned by its creator (administrators). */
export const projectCreateCommand: CommandSpec = {
  name: 'project create',
  summary: 'create a project (administrators)',
  synopsis: 'project create <name>',
  description: 'Creates a project; you become its owner. Needs an administrator\'s token with the admin scope.',
  positionals: ['name'],
  options: {},
  async run(context, args) {
    const data = await context.graphql.request<{ createProject: UnionResult }>(CREATE, { name: args.positional('name') });
    const project = unwrap<UnionResult & { name: string; createdAt: string }>(data.createProject, 'Project');
    return { json: { project: project.name, createdAt: project.createdAt }, text: `created project ${project.name}` };
  },
};

const LIST = `query($first: Int!, $after: String) {
  projects(first: $first, after: $after) { ${connectionFields('name createdAt')} }
}`;

/** `sheaf project list`: the projects you are a member of (administrators: all). */
export const projectListCommand: CommandSpec = {
  name: 'project list',
  summary: 'list the projects you belong to',
  synopsis: 'project list',
  positionals: [],
  options: {},
  async run(context) {
    const projects = await collect(async (after) => {
      const data = await context.graphql.request<{ projects: Connection<{ name: string; createdAt: string }> }>(LIST, { first: PAGE_SIZE, after });
      return data.projects;
    });
    return { json: projects, text: projects.map((p) => p.name).join('\n') };
  },
};
