import { NotFoundError } from '../errors.ts';
import type { BranchName, CommitId, DatasetName, ProjectName } from '../ids.ts';
import type { Branch, Commit, Dataset, Project } from '../model.ts';
import type { Clock, VersionStore } from '../ports.ts';
import type { NodeReader } from '../prolly/node-reader.ts';
import { NodeWriter } from '../prolly/node-writer.ts';

/** What every versioning operation needs: the store, a shared node cache, and a clock. */
export interface VersionContext {
  readonly store: VersionStore;
  readonly reader: NodeReader;
  readonly clock: Clock;
}

/** Names a dataset inside its project. */
export interface DatasetRef {
  readonly project: ProjectName;
  readonly dataset: DatasetName;
}

export function treeContext(ctx: VersionContext) {
  return { reader: ctx.reader, writer: new NodeWriter(ctx.store.nodes, ctx.reader) };
}

/** @throws NotFoundError('project') */
export async function requireProject(ctx: VersionContext, name: ProjectName): Promise<Project> {
  const project = await ctx.store.refs.getProject(name);
  if (!project) throw new NotFoundError('project', name);
  return project;
}

/** @throws NotFoundError('project' | 'dataset') */
export async function requireDataset(ctx: VersionContext, ref: DatasetRef): Promise<Dataset> {
  const project = await requireProject(ctx, ref.project);
  const dataset = await ctx.store.refs.getDataset(project.id, ref.dataset);
  if (!dataset) throw new NotFoundError('dataset', `${ref.project}/${ref.dataset}`);
  return dataset;
}

/** @throws NotFoundError('branch') */
export async function requireBranch(ctx: VersionContext, dataset: Dataset, name: BranchName): Promise<Branch> {
  const branch = await ctx.store.refs.getBranch(dataset.id, name);
  if (!branch) throw new NotFoundError('branch', `${dataset.name}@${name}`);
  return branch;
}

/** @throws NotFoundError('commit') */
export async function requireCommit(ctx: VersionContext, id: CommitId): Promise<Commit> {
  const commit = (await ctx.store.commits.getMany([id])).get(id);
  if (!commit) throw new NotFoundError('commit', id);
  return commit;
}
