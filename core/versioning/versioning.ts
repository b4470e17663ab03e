import type { JsonObject } from '../canonical-json.ts';
import { InvalidInputError, NotFoundError, RefConflictError } from '../errors.ts';
import type { BranchName, CommitId, ProjectName, SnapshotHash, TagName } from '../ids.ts';
import type { ItemPath } from '../item-path.ts';
import type { Branch, Commit, Dataset, Item, PageRequest, Project, StagedChange, Tag } from '../model.ts';
import type { Clock, VersionStore } from '../ports.ts';
import { diffTrees, type DiffOptions, type ItemChange } from '../prolly/diff-trees.ts';
import { EMPTY_NODE, EMPTY_SNAPSHOT } from '../prolly/node-codec.ts';
import { NodeReader } from '../prolly/node-reader.ts';
import { getItem, treeTotals } from '../prolly/read-tree.ts';
import { makeCommit } from './commit-codec.ts';
import { commitDerived } from './commit-derived.ts';
import { commitStaged, type CommitInput } from './commit-staged.ts';
import { logCommits } from './history.ts';
import { mergeBase } from './merge-base.ts';
import { mergeBranches, type MergeInput, type MergeResult } from './merge-branches.ts';
import { resolveRef, type ResolvedRef } from './resolve-ref.ts';
import { listItems, parseItemChanges, readBranchItem, stageChanges, type ItemChangeInput, type ListOptions } from './staged-changes.ts';
import { requireBranch, requireCommit, requireDataset, requireProject, type DatasetRef, type VersionContext } from './version-context.ts';

export const DEFAULT_BRANCH = 'main' as BranchName;
const MAX_PAGE = 1000;
const MAX_MESSAGE = 64 * 1024;

/**
 * The versioning engine: projects, datasets, branches, tags, staging, commits, diff and merge
 * over content-addressed prolly-tree snapshots. Knows only the ports; inputs are already
 * parsed (branded) except item changes, which it validates itself.
 */
export class Versioning {
  readonly ctx: VersionContext;

  constructor(deps: { store: VersionStore; clock?: Clock; nodeCacheBytes?: number }) {
    this.ctx = {
      store: deps.store,
      reader: new NodeReader(deps.store.nodes, deps.nodeCacheBytes),
      clock: deps.clock ?? { now: () => new Date() },
    };
  }

  /** @throws AlreadyExistsError('project') */
  async createProject(name: ProjectName): Promise<Project> {
    return this.ctx.store.refs.createProject(name);
  }

  /** @throws NotFoundError('project') */
  async getProject(name: ProjectName): Promise<Project> {
    return requireProject(this.ctx, name);
  }

  async listProjects(page: PageRequest): Promise<Project[]> {
    return this.ctx.store.refs.listProjects(checkPage(page));
  }

  /**
   * Creates an empty dataset with a `main` branch on a first, empty commit.
   * @throws NotFoundError('project'), AlreadyExistsError('dataset')
   */
  async createDataset(ref: DatasetRef, author: string): Promise<{ dataset: Dataset; branch: Branch; commit: Commit }> {
    return this.startDataset(ref, EMPTY_SNAPSHOT, null, author, `Create dataset ${ref.dataset}`);
  }

  /**
   * Clones a dataset, branch, tag, commit or snapshot into a new dataset in O(1): the new
   * dataset's first commit points at the very same snapshot; no item or blob is copied.
   * @throws NotFoundError, AlreadyExistsError('dataset')
   */
  async cloneDataset(
    source: { ref: DatasetRef; at: string },
    target: DatasetRef,
    author: string,
  ): Promise<{ dataset: Dataset; branch: Branch; commit: Commit }> {
    const resolved = await this.resolve(source.ref, source.at);
    return this.startDataset(
      target,
      resolved.snapshot,
      resolved.commit?.id ?? null,
      author,
      `Clone ${source.ref.project}/${source.ref.dataset}@${source.at}`,
    );
  }

  async getDataset(ref: DatasetRef): Promise<Dataset> {
    return requireDataset(this.ctx, ref);
  }

  async listDatasets(project: ProjectName, page: PageRequest): Promise<Dataset[]> {
    const p = await requireProject(this.ctx, project);
    return this.ctx.store.refs.listDatasets(p.id, checkPage(page));
  }

  /** Resolves a branch or tag name, commit id or snapshot hash within a dataset. */
  async resolve(ref: DatasetRef, at: string): Promise<ResolvedRef> {
    return resolveRef(this.ctx, await requireDataset(this.ctx, ref), at);
  }

  /**
   * Creates a branch at any ref, in O(1). From a bare snapshot hash, a root commit is made.
   * @throws NotFoundError, AlreadyExistsError('branch')
   */
  async createBranch(ref: DatasetRef, name: BranchName, from: string, author: string): Promise<Branch> {
    const dataset = await requireDataset(this.ctx, ref);
    const head = await this.commitFor(dataset, from, author);
    return this.ctx.store.refs.createBranch({ datasetId: dataset.id, name, head: head.id });
  }

  async getBranch(ref: DatasetRef, name: BranchName): Promise<Branch> {
    return requireBranch(this.ctx, await requireDataset(this.ctx, ref), name);
  }

  async listBranches(ref: DatasetRef, page: PageRequest): Promise<Branch[]> {
    const dataset = await requireDataset(this.ctx, ref);
    return this.ctx.store.refs.listBranches(dataset.id, checkPage(page));
  }

  /**
   * Moves a branch forward to `to` by compare-and-swap: only if it still points at
   * `expectedHead` and `to` descends from it, so no commit on the branch is ever dropped. This
   * is how a writer publishes work built on a private branch (as `git push` does).
   * @throws RefConflictError, NotFoundError('commit'), InvalidInputError (not a fast-forward)
   */
  async fastForward(ref: DatasetRef, name: BranchName, to: CommitId, expectedHead: CommitId): Promise<Branch> {
    const branch = await this.getBranch(ref, name);
    const refName = `branch ${branch.name}`;
    if (branch.head !== expectedHead) throw new RefConflictError(refName, expectedHead, branch.head);
    await requireCommit(this.ctx, to);
    const base = await mergeBase(this.ctx, to, expectedHead);
    if (base?.id !== expectedHead) throw new InvalidInputError('to', `commit ${to} does not descend from ${expectedHead}: not a fast-forward`);
    if (!(await this.ctx.store.refs.moveBranch(branch.id, expectedHead, to))) {
      const now = await this.ctx.store.refs.getBranch(branch.datasetId, branch.name);
      throw new RefConflictError(refName, expectedHead, now?.head ?? null);
    }
    return { ...branch, head: to };
  }

  /** Deletes a branch and its staged changes (commits stay reachable from other refs). */
  async deleteBranch(ref: DatasetRef, name: BranchName): Promise<void> {
    const branch = await this.getBranch(ref, name);
    await this.ctx.store.refs.deleteBranch(branch.id);
  }

  /** @throws NotFoundError, AlreadyExistsError('tag') */
  async createTag(ref: DatasetRef, name: TagName, at: string, author: string): Promise<Tag> {
    const dataset = await requireDataset(this.ctx, ref);
    const commit = await this.commitFor(dataset, at, author);
    return this.ctx.store.refs.createTag({ datasetId: dataset.id, name, commit: commit.id });
  }

  async listTags(ref: DatasetRef, page: PageRequest): Promise<Tag[]> {
    const dataset = await requireDataset(this.ctx, ref);
    return this.ctx.store.refs.listTags(dataset.id, checkPage(page));
  }

  /** Stages puts and deletes on a branch (see stageChanges for validation). */
  async stage(ref: DatasetRef, branch: BranchName, changes: readonly ItemChangeInput[]): Promise<number> {
    return stageChanges(this.ctx, await this.getBranch(ref, branch), changes);
  }

  /** Drops staged changes at `paths`; returns how many were staged. */
  async unstage(ref: DatasetRef, branch: BranchName, paths: readonly ItemPath[]): Promise<number> {
    const b = await this.getBranch(ref, branch);
    return this.ctx.store.staging.remove(b.id, paths);
  }

  async listStaged(ref: DatasetRef, branch: BranchName, options: ListOptions): Promise<StagedChange[]> {
    const b = await this.getBranch(ref, branch);
    return this.ctx.store.staging.list(b.id, { ...checkPage(options), prefix: options.prefix });
  }

  /** @throws NothingToCommitError, RefConflictError */
  async commit(ref: DatasetRef, branch: BranchName, input: CommitInput): Promise<{ commit: Commit; created: boolean }> {
    checkAuthor(input.author);
    if (typeof input.message !== 'string' || input.message.length > MAX_MESSAGE)
      throw new InvalidInputError('message', `must be a string of at most ${MAX_MESSAGE} characters`);
    return commitStaged(this.ctx, await this.getBranch(ref, branch), input);
  }

  /**
   * Commits the snapshot made by applying `changes` to `base` onto a branch (see
   * commitDerived): for derived data such as transform outputs.
   * @throws InvalidPathError, InvalidHashError, InvalidInputError, NotFoundError('blob' | 'branch' | 'snapshot'), RefConflictError
   */
  async commitDerived(
    ref: DatasetRef,
    branch: BranchName,
    base: SnapshotHash,
    changes: readonly ItemChangeInput[],
    input: CommitInput,
  ): Promise<{ commit: Commit; created: boolean }> {
    checkAuthor(input.author);
    if (typeof input.message !== 'string' || input.message.length > MAX_MESSAGE)
      throw new InvalidInputError('message', `must be a string of at most ${MAX_MESSAGE} characters`);
    if (base !== EMPTY_SNAPSHOT) await this.requireSnapshot(base);
    const parsed = await parseItemChanges(this.ctx, changes);
    return commitDerived(this.ctx, await this.getBranch(ref, branch), base, parsed, input);
  }

  async getCommit(id: CommitId): Promise<Commit> {
    return requireCommit(this.ctx, id);
  }

  async log(ref: DatasetRef, at: string, options: { limit: number; after?: CommitId | undefined }) {
    const resolved = await this.resolve(ref, at);
    if (!resolved.commit) throw new InvalidInputError('ref', 'a snapshot hash has no history');
    return logCommits(this.ctx, resolved.commit.id, options);
  }

  /** The item at `path` as the ref shows it (a branch includes its staged changes). */
  async getItem(ref: DatasetRef, at: string, path: ItemPath): Promise<Item> {
    const resolved = await this.resolve(ref, at);
    const item =
      resolved.kind === 'branch'
        ? await readBranchItem(this.ctx, resolved.branch, resolved.snapshot, path)
        : ((await getItem(this.ctx.reader, resolved.snapshot, path)) ?? null);
    if (!item) throw new NotFoundError('item', `${ref.dataset}@${at}:${path}`);
    return item;
  }

  /** Items in path order under a prefix; a branch includes its staged changes. */
  async listItems(ref: DatasetRef, at: string, options: ListOptions): Promise<Item[]> {
    const resolved = await this.resolve(ref, at);
    return listItems(this.ctx, resolved.snapshot, resolved.kind === 'branch' ? resolved.branch : null, checkPage(options));
  }

  /** Items in a snapshot by hash, without a dataset (time travel to any snapshot). */
  async listSnapshot(snapshot: SnapshotHash, options: ListOptions): Promise<Item[]> {
    await this.requireSnapshot(snapshot);
    return listItems(this.ctx, snapshot, null, checkPage(options));
  }

  /** Item count and total bytes of a snapshot, read from its root. */
  async snapshotTotals(snapshot: SnapshotHash): Promise<{ count: number; bytes: number }> {
    await this.requireSnapshot(snapshot);
    return treeTotals(this.ctx.reader, snapshot);
  }

  /** Changes from snapshot `a` to `b` in path order; cost follows the number of changes. */
  async diff(a: SnapshotHash, b: SnapshotHash, options: DiffOptions = {}): Promise<ItemChange[]> {
    await this.requireSnapshot(a);
    await this.requireSnapshot(b);
    return diffTrees(this.ctx.reader, a, b, options);
  }

  /** @throws MergeConflictError, NoMergeBaseError, RefConflictError */
  async merge(ref: DatasetRef, from: BranchName, into: BranchName, input: MergeInput): Promise<MergeResult> {
    checkAuthor(input.author);
    const dataset = await requireDataset(this.ctx, ref);
    const [source, target] = [await requireBranch(this.ctx, dataset, from), await requireBranch(this.ctx, dataset, into)];
    return mergeBranches(this.ctx, source, target, input);
  }

  /** @throws NotFoundError('snapshot') */
  async requireSnapshot(snapshot: SnapshotHash): Promise<void> {
    if (!(await this.ctx.reader.has(snapshot))) throw new NotFoundError('snapshot', snapshot);
  }

  private async startDataset(
    ref: DatasetRef,
    snapshot: SnapshotHash,
    originCommit: CommitId | null,
    author: string,
    message: string,
  ): Promise<{ dataset: Dataset; branch: Branch; commit: Commit }> {
    checkAuthor(author);
    const project = await requireProject(this.ctx, ref.project);
    if (snapshot === EMPTY_SNAPSHOT) await this.ctx.store.nodes.putMany([EMPTY_NODE]);
    const commit = this.rootCommit(snapshot, author, message, originCommit ? { origin: originCommit } : {});
    return this.ctx.store.transaction(async (tx) => {
      const dataset = await tx.refs.createDataset({
        projectId: project.id,
        name: ref.dataset,
        origin: snapshot === EMPTY_SNAPSHOT && !originCommit ? null : { snapshot, commit: originCommit },
      });
      await tx.commits.put(commit);
      const branch = await tx.refs.createBranch({ datasetId: dataset.id, name: DEFAULT_BRANCH, head: commit.id });
      return { dataset, branch, commit };
    });
  }

  /** The commit a ref names; a bare snapshot gets a new root commit pointing at it. */
  private async commitFor(dataset: Dataset, at: string, author: string): Promise<Commit> {
    const resolved = await resolveRef(this.ctx, dataset, at);
    if (resolved.commit) return resolved.commit;
    checkAuthor(author);
    const commit = this.rootCommit(resolved.snapshot, author, `Start from snapshot ${resolved.snapshot}`, {});
    await this.ctx.store.commits.put(commit);
    return commit;
  }

  private rootCommit(snapshot: SnapshotHash, author: string, message: string, meta: JsonObject): Commit {
    return makeCommit({ snapshot, parents: [], author, message, time: this.ctx.clock.now(), meta }, []);
  }
}

function checkPage<T extends PageRequest>(page: T): T {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE)
    throw new InvalidInputError('limit', `must be an integer from 1 to ${MAX_PAGE}`);
  return page;
}

function checkAuthor(author: string): void {
  if (typeof author !== 'string' || author.trim() === '' || author.length > 256)
    throw new InvalidInputError('author', 'must be 1-256 characters');
}
