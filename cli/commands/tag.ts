import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';

const CREATE_TAG = `mutation($project: String!, $dataset: String!, $name: String!, $ref: String!) {
  createTag(project: $project, dataset: $dataset, name: $name, ref: $ref) {
    ${ERROR_FIELDS} ... on Tag { name commit { id snapshot { hash } } }
  }
}`;

/** `sheaf tag <dataset> <name> <ref>`: an immutable name for a commit. */
export const tagCommand: CommandSpec = {
  name: 'tag',
  summary: 'name a commit with an immutable tag',
  synopsis: 'tag <dataset> <name> <ref>',
  description: 'Creates a tag at a branch, tag, commit id or snapshot hash.',
  positionals: ['dataset', 'name', 'ref'],
  options: {},
  async run(context, args) {
    const dataset = args.positional('dataset')!;
    const data = await context.graphql.request<{ createTag: UnionResult }>(CREATE_TAG, {
      project: context.global.project,
      dataset,
      name: args.positional('name'),
      ref: args.positional('ref'),
    });
    const tag = unwrap<UnionResult & { name: string; commit: { id: string; snapshot: { hash: string } } }>(data.createTag, 'Tag');
    return {
      json: { dataset, tag: tag.name, commit: tag.commit.id, snapshot: tag.commit.snapshot.hash },
      text: `created tag ${dataset}@${tag.name} at ${tag.commit.id.slice(0, 12)}`,
    };
  },
};
