import type { JsonObject } from '../core/canonical-json.ts';
import { InvalidInputError, NotFoundError } from '../core/errors.ts';
import {
  isSha256,
  parseBranchName,
  parseCommitId,
  parseDatasetName,
  parseProjectName,
  parseSnapshotHash,
  parseTagName,
  type CommitId,
  type SnapshotHash,
} from '../core/ids.ts';
import { parseItemPath } from '../core/item-path.ts';
import type { Branch, Commit, Dataset, Item, Project, StagedChange, Tag } from '../core/model.ts';
import type { ItemChange } from '../core/prolly/diff-trees.ts';
import type { MergeStrategy } from '../core/versioning/merge-branches.ts';
import type { ResolvedRef } from '../core/versioning/resolve-ref.ts';
import type { ItemChangeInput } from '../core/versioning/staged-changes.ts';
import type { Versioning } from '../core/versioning/versioning.ts';
import type { Actor } from './actor.ts';

/** A dataset named inside a project, as clients send it. */
export interface DatasetAddress {
  readonly project: string;
  readonly dataset: string;
}

export interface Page {
  readonly after?: string | undefined;
  readonly limit: number;
}

const STRATEGIES: readonly MergeStrategy[] = ['fail', 'ours', 'theirs'];

/**
 * Dataset use cases for the API, the CLI and jobs: takes the strings clients send, parses
 * them once into the core's branded types (typed errors for bad input), and calls the engine.
 */
export class DatasetService {
  constructor(private readonly engine: Versioning) {}

  createProject(name: string): Promise<Project> {
    return this.engine.createProject(parseProjectName(name));
  }

  listProjects(page: Page): Promise<Project[]> {
    return this.engine.listProjects(page);
  }

  /** @throws InvalidNameError, NotFoundError('project') */
  getProject(name: string): Promise<Project> {
    return this.engine.getProject(parseProjectName(name));
  }

  createDataset(actor: Actor, at: DatasetAddress) {
    return this.engine.createDataset(address(at), actor.name);
  }

  /** Clones `source` at `ref` (branch, tag, commit or snapshot hash) into a new dataset, O(1). */
  cloneDataset(actor: Actor, source: DatasetAddress, ref: string, target: DatasetAddress) {
    return this.engine.cloneDataset({ ref: address(source), at: ref }, address(target), actor.name);
  }

  getDataset(at: DatasetAddress): Promise<Dataset> {
    return this.engine.getDataset(address(at));
  }

  listDatasets(project: string, page: Page): Promise<Dataset[]> {
    return this.engine.listDatasets(parseProjectName(project), page);
  }

  createBranch(actor: Actor, at: DatasetAddress, name: string, from: string): Promise<Branch> {
    return this.engine.createBranch(address(at), parseBranchName(name), from, actor.name);
  }

  /** Moves a branch forward to `to` if it still points at `expectedHead` (see Versioning.fastForward). */
  fastForward(at: DatasetAddress, name: string, to: string, expectedHead: string): Promise<Branch> {
    return this.engine.fastForward(address(at), parseBranchName(name), parseCommitId(to, 'to'), parseCommitId(expectedHead, 'expected head'));
  }

  async deleteBranch(at: DatasetAddress, name: string): Promise<void> {
    await this.engine.deleteBranch(address(at), parseBranchName(name));
  }

  getBranch(at: DatasetAddress, name: string): Promise<Branch> {
    return this.engine.getBranch(address(at), parseBranchName(name));
  }

  listBranches(at: DatasetAddress, page: Page): Promise<Branch[]> {
    return this.engine.listBranches(address(at), page);
  }

  createTag(actor: Actor, at: DatasetAddress, name: string, ref: string): Promise<Tag> {
    return this.engine.createTag(address(at), parseTagName(name), ref, actor.name);
  }

  listTags(at: DatasetAddress, page: Page): Promise<Tag[]> {
    return this.engine.listTags(address(at), page);
  }

  /** Resolves a branch, tag, commit id or snapshot hash inside a dataset. */
  resolve(at: DatasetAddress, ref: string): Promise<ResolvedRef> {
    return this.engine.resolve(address(at), ref);
  }

  stage(at: DatasetAddress, branch: string, changes: readonly ItemChangeInput[]): Promise<number> {
    return this.engine.stage(address(at), parseBranchName(branch), changes);
  }

  unstage(at: DatasetAddress, branch: string, paths: readonly string[]): Promise<number> {
    return this.engine.unstage(address(at), parseBranchName(branch), paths.map(parseItemPath));
  }

  listStaged(at: DatasetAddress, branch: string, page: Page & { prefix?: string | undefined }): Promise<StagedChange[]> {
    return this.engine.listStaged(address(at), parseBranchName(branch), page);
  }

  commit(
    actor: Actor,
    at: DatasetAddress,
    branch: string,
    input: { message: string; expectedHead?: string | undefined; meta?: JsonObject | undefined },
  ): Promise<{ commit: Commit; created: boolean }> {
    return this.engine.commit(address(at), parseBranchName(branch), {
      author: actor.name,
      message: input.message,
      meta: input.meta,
      expectedHead: input.expectedHead === undefined ? undefined : parseCommitId(input.expectedHead, 'expected head'),
    });
  }

  log(at: DatasetAddress, ref: string, page: Page) {
    return this.engine.log(address(at), ref, {
      limit: page.limit,
      after: page.after === undefined ? undefined : parseCommitId(page.after, 'cursor'),
    });
  }

  /** @throws InvalidHashError, NotFoundError('commit') */
  getCommit(id: string): Promise<Commit> {
    return this.engine.getCommit(parseCommitId(id));
  }

  /** Item count and total bytes of a snapshot. @throws InvalidHashError, NotFoundError('snapshot') */
  snapshotTotals(hash: string) {
    return this.engine.snapshotTotals(parseSnapshotHash(hash));
  }

  /** Items of a ref (a branch shows its staged changes) under an optional prefix. */
  listItems(at: DatasetAddress, ref: string, page: Page & { prefix?: string | undefined }): Promise<Item[]> {
    return this.engine.listItems(address(at), ref, page);
  }

  /** Items of a snapshot by hash. @throws InvalidHashError, NotFoundError('snapshot') */
  listSnapshotItems(hash: string, page: Page & { prefix?: string | undefined }): Promise<Item[]> {
    return this.engine.listSnapshot(parseSnapshotHash(hash), page);
  }

  getItem(at: DatasetAddress, ref: string, path: string): Promise<Item> {
    return this.engine.getItem(address(at), ref, parseItemPath(path));
  }

  /**
   * The snapshot a location names: `dataset@ref` (ref defaults to the main branch), or a bare
   * commit id or snapshot hash.
   * @throws InvalidInputError, InvalidHashError, NotFoundError
   */
  async snapshotOf(project: string, location: string): Promise<SnapshotHash> {
    if (isSha256(location)) {
      const commit = await this.engine.getCommit(location as CommitId).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
      if (commit) return commit.snapshot;
      const snapshot = parseSnapshotHash(location);
      await this.engine.requireSnapshot(snapshot);
      return snapshot;
    }
    const at = location.indexOf('@');
    const dataset = at < 0 ? location : location.slice(0, at);
    const ref = at < 0 ? 'main' : location.slice(at + 1);
    if (!dataset || !ref) throw new InvalidInputError('ref', `expected dataset@ref, a commit id or a snapshot hash, got ${JSON.stringify(location)}`);
    return (await this.engine.resolve(address({ project, dataset }), ref)).snapshot;
  }

  /** Changes between two locations (see `snapshotOf`), in path order, one page at a time. */
  async diff(project: string, from: string, to: string, page: Page): Promise<ItemChange[]> {
    const [a, b] = [await this.snapshotOf(project, from), await this.snapshotOf(project, to)];
    if (page.after !== undefined) parseItemPath(page.after);
    return this.engine.diff(a, b, { after: page.after, limit: page.limit });
  }

  merge(actor: Actor, at: DatasetAddress, input: { from: string; into: string; strategy?: string | undefined; message?: string | undefined }) {
    const strategy = (input.strategy ?? 'fail') as MergeStrategy;
    if (!STRATEGIES.includes(strategy)) throw new InvalidInputError('strategy', `must be one of ${STRATEGIES.join(', ')}`);
    return this.engine.merge(address(at), parseBranchName(input.from), parseBranchName(input.into), {
      author: actor.name,
      strategy,
      message: input.message,
    });
  }
}

function address(at: DatasetAddress) {
  return { project: parseProjectName(at.project), dataset: parseDatasetName(at.dataset) };
}
