import type { JsonObject, JsonValue } from '../core/canonical-json.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../core/errors.ts';
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
import { EMPTY_SNAPSHOT } from '../core/prolly/node-codec.ts';
import type { Branch, Commit, Dataset, Item, Project, StagedChange, Tag } from '../core/model.ts';
import type { ItemChange } from '../core/prolly/diff-trees.ts';
import type { MergeStrategy } from '../core/versioning/merge-branches.ts';
import type { ResolvedRef } from '../core/versioning/resolve-ref.ts';
import type { ItemChangeInput } from '../core/versioning/staged-changes.ts';
import type { Versioning } from '../core/versioning/versioning.ts';
import { requireSignedIn, type AccessControl } from './access/access-control.ts';
import { guardedMutation, type AdminRequest } from './access/guarded-mutation.ts';
import type { ProjectGrants } from './access/project-grants.ts';
import type { Permission } from './access/roles.ts';
import type { Actor } from './actor.ts';
import type { AuditRecorder } from './audit/audit-event.ts';
import { digestOf } from './audit/digest.ts';

/** A dataset named inside a project, as clients send it. */
export interface DatasetAddress {
  readonly project: string;
  readonly dataset: string;
}

export interface Page {
  readonly after?: string | undefined;
  readonly limit: number;
}

/** An annotation edit: the item at `path` keeps its blob and meta and gets these annotations. */
export interface AnnotationEdit {
  readonly path: string;
  readonly annotations: unknown;
}

export interface DatasetServiceDeps {
  readonly engine: Versioning;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  readonly grants: ProjectGrants;
  /** Makes the creator of a project its owner. */
  readonly owners: { grantOwner(project: string, userId: string): Promise<void> };
}

const STRATEGIES: readonly MergeStrategy[] = ['fail', 'ours', 'theirs'];

/**
 * Dataset use cases for the API, the CLI and jobs: takes the strings clients send, parses
 * them once into the core's branded types (typed errors for bad input), checks the actor's
 * permission in the project (roles in services/access/roles.ts), calls the engine, and records
 * every mutation in the audit log.
 *
 * Hashes are answered per project: a commit id or snapshot hash resolves only when a branch of
 * the project has pointed at it, and items may name only blobs uploaded to the project, so
 * knowing another project's hash grants nothing.
 */
export class DatasetService {
  private readonly engine: Versioning;

  constructor(private readonly deps: DatasetServiceDeps) {
    this.engine = deps.engine;
  }

  /** Instance administrators create projects; the creator becomes the owner. */
  createProject(actor: Actor | null, name: string): Promise<Project> {
    const request: AdminRequest = { admin: true, action: 'project.create', project: name };
    return guardedMutation(this.deps, actor, request, { target: null, inputs: { name } }, async (admin) => {
      const project = await this.engine.createProject(parseProjectName(name));
      if (admin.userId !== null) await this.deps.owners.grantOwner(project.name, admin.userId);
      return project;
    });
  }

  /** The projects the actor is a member of; administrators see every project. */
  async listProjects(actor: Actor | null, page: Page): Promise<Project[]> {
    const who = requireSignedIn(actor);
    if (!who.scopes.has('read')) throw new ForbiddenError('credential scope', 'project list');
    // The server's own actor has no user and no memberships.
    if (!who.isAdmin && who.userId === null) return [];
    return this.deps.grants.projectsOf(who.isAdmin ? null : who.userId, checkPage(page));
  }

  /** @throws InvalidNameError, ForbiddenError (also for a project that does not exist), NotFoundError('project') for administrators */
  async getProject(actor: Actor | null, name: string): Promise<Project> {
    const project = parseProjectName(name);
    await this.deps.access.requireMember(actor, project, 'project.get');
    return this.engine.getProject(project);
  }

  createDataset(actor: Actor | null, at: DatasetAddress) {
    const op = { at, action: 'dataset.create', permission: 'data.write', inputs: {}, result: commitOf } as const;
    return this.mutate(actor, op, (who) => this.engine.createDataset(address(at), who.name));
  }

  /**
   * Clones `source` at `ref` (branch, tag, commit or snapshot hash) into a new dataset of the
   * same project, in O(1).
   * @throws InvalidInputError for a target in another project (export and push instead)
   */
  cloneDataset(actor: Actor | null, source: DatasetAddress, ref: string, target: DatasetAddress) {
    if (source.project !== target.project)
      throw new InvalidInputError('target', 'clones stay in their project; to copy across projects, export and push');
    const op = { at: target, action: 'dataset.clone', permission: 'data.write', inputs: { source: source.dataset, ref }, result: commitOf } as const;
    return this.mutate(actor, op, async (who) => {
      await this.requireRef(who, source, ref);
      return this.engine.cloneDataset({ ref: address(source), at: ref }, address(target), who.name);
    });
  }

  async getDataset(actor: Actor | null, at: DatasetAddress): Promise<Dataset> {
    await this.require(actor, at, 'branch.read', 'dataset.get');
    return this.engine.getDataset(address(at));
  }

  async listDatasets(actor: Actor | null, project: string, page: Page): Promise<Dataset[]> {
    await this.deps.access.require(actor, { project, permission: 'project.read', action: 'dataset.list' });
    return this.engine.listDatasets(parseProjectName(project), page);
  }

  createBranch(actor: Actor | null, at: DatasetAddress, name: string, from: string): Promise<Branch> {
    const op = { at, action: 'branch.create', permission: 'data.write', target: `${at.dataset}@${name}`, inputs: { from }, result: headOf } as const;
    return this.mutate(actor, op, async (who) => {
      await this.requireRef(who, at, from);
      return this.engine.createBranch(address(at), parseBranchName(name), from, who.name);
    });
  }

  /** Moves a branch forward to `to` if it still points at `expectedHead` (see Versioning.fastForward). */
  fastForward(actor: Actor | null, at: DatasetAddress, name: string, to: string, expectedHead: string): Promise<Branch> {
    const op = { at, action: 'branch.fast-forward', permission: 'data.write', target: `${at.dataset}@${name}`, inputs: { to, expectedHead }, result: headOf } as const;
    return this.mutate(actor, op, async () => {
      const commit = parseCommitId(to, 'to');
      if (!(await this.deps.grants.hasCommit(at.project, commit))) throw new NotFoundError('commit', commit);
      return this.engine.fastForward(address(at), parseBranchName(name), commit, parseCommitId(expectedHead, 'expected head'));
    });
  }

  async deleteBranch(actor: Actor | null, at: DatasetAddress, name: string): Promise<void> {
    const op = { at, action: 'branch.delete', permission: 'data.write', target: `${at.dataset}@${name}`, inputs: {} } as const;
    await this.mutate(actor, op, () => this.engine.deleteBranch(address(at), parseBranchName(name)));
  }

  async getBranch(actor: Actor | null, at: DatasetAddress, name: string): Promise<Branch> {
    await this.require(actor, at, 'branch.read', 'branch.get', name);
    return this.engine.getBranch(address(at), parseBranchName(name));
  }

  async listBranches(actor: Actor | null, at: DatasetAddress, page: Page): Promise<Branch[]> {
    await this.require(actor, at, 'project.read', 'branch.list');
    return this.engine.listBranches(address(at), page);
  }

  createTag(actor: Actor | null, at: DatasetAddress, name: string, ref: string): Promise<Tag> {
    const op = { at, action: 'tag.create', permission: 'data.write', target: `${at.dataset}@${name}`, inputs: { ref }, result: (t: Tag) => ({ commit: t.commit }) } as const;
    return this.mutate(actor, op, async (who) => {
      await this.requireRef(who, at, ref);
      return this.engine.createTag(address(at), parseTagName(name), ref, who.name);
    });
  }

  async listTags(actor: Actor | null, at: DatasetAddress, page: Page): Promise<Tag[]> {
    await this.require(actor, at, 'project.read', 'tag.list');
    return this.engine.listTags(address(at), page);
  }

  /** Resolves a branch, tag, commit id or snapshot hash inside a dataset. */
  async resolve(actor: Actor | null, at: DatasetAddress, ref: string): Promise<ResolvedRef> {
    await this.requireRef(actor, at, ref);
    return this.engine.resolve(address(at), ref);
  }

  /** Stages puts of blobs uploaded to the project, and deletions. @throws NotFoundError('blob') for a blob the project does not hold */
  async stage(actor: Actor | null, at: DatasetAddress, branch: string, changes: readonly ItemChangeInput[]): Promise<number> {
    const op = { at, branch, action: 'items.stage', permission: 'data.write', inputs: { changes: digestOf(asJson(changes)) }, result: countOf } as const;
    return this.mutate(actor, op, async () => {
      const blobs = changes.flatMap((c) => ('blob' in c && typeof c.blob === 'string' && isSha256(c.blob) ? [c.blob] : []));
      const [missing] = await this.deps.grants.missingBlobs(at.project, blobs);
      if (missing !== undefined) throw new NotFoundError('blob', missing);
      return this.engine.stage(address(at), parseBranchName(branch), changes);
    });
  }

  /**
   * Labeling work: replaces the annotations of existing items on a branch, keeping their blobs
   * and meta. All or nothing.
   * @throws NotFoundError('item') for a path that is not on the branch
   */
  async annotate(actor: Actor | null, at: DatasetAddress, branch: string, edits: readonly AnnotationEdit[]): Promise<number> {
    const op = { at, branch, action: 'items.annotate', permission: 'label.write', inputs: { edits: digestOf(asJson(edits)) }, result: countOf } as const;
    return this.mutate(actor, op, async () => {
      const ref = address(at);
      const name = parseBranchName(branch);
      const changes: ItemChangeInput[] = [];
      for (const edit of edits) {
        const item = await this.engine.getItem(ref, name, parseItemPath(edit.path));
        changes.push({ path: item.path, blob: item.blob, meta: item.meta, annotations: edit.annotations });
      }
      return this.engine.stage(ref, name, changes);
    });
  }

  unstage(actor: Actor | null, at: DatasetAddress, branch: string, paths: readonly string[]): Promise<number> {
    const op = { at, branch, action: 'items.unstage', permission: 'data.write', inputs: { paths: digestOf(paths) }, result: countOf } as const;
    return this.mutate(actor, op, () => this.engine.unstage(address(at), parseBranchName(branch), paths.map(parseItemPath)));
  }

  async listStaged(actor: Actor | null, at: DatasetAddress, branch: string, page: Page & { prefix?: string | undefined }): Promise<StagedChange[]> {
    await this.require(actor, at, 'branch.read', 'staging.list', branch);
    return this.engine.listStaged(address(at), parseBranchName(branch), page);
  }

  /** Commits the branch's staged changes; labelers may commit on the branches assigned to them. */
  commit(
    actor: Actor | null,
    at: DatasetAddress,
    branch: string,
    input: { message: string; expectedHead?: string | undefined; meta?: JsonObject | undefined },
  ): Promise<{ commit: Commit; created: boolean }> {
    const op = {
      at,
      branch,
      action: 'branch.commit',
      permission: 'label.write',
      inputs: { message: input.message, expectedHead: input.expectedHead ?? null },
      result: (r: { commit: Commit; created: boolean }) => ({ commit: r.commit.id, snapshot: r.commit.snapshot, created: r.created }),
    } as const;
    return this.mutate(actor, op, (who) =>
      this.engine.commit(address(at), parseBranchName(branch), {
        author: who.name,
        message: input.message,
        meta: input.meta,
        expectedHead: input.expectedHead === undefined ? undefined : parseCommitId(input.expectedHead, 'expected head'),
      }),
    );
  }

  /**
   * Commits derived data onto a branch: the snapshot made by applying `changes` to `base` (the
   * empty snapshot, or one the project holds), with the branch head as parent; see
   * Versioning.commitDerived. Puts may name only blobs the project holds.
   * @throws ForbiddenError, NotFoundError('snapshot' | 'blob' | 'branch'), InvalidInputError, RefConflictError
   */
  commitDerived(
    actor: Actor | null,
    at: DatasetAddress,
    branch: string,
    base: string,
    changes: readonly ItemChangeInput[],
    input: { message: string; meta?: JsonObject | undefined; expectedHead?: string | undefined },
  ): Promise<{ commit: Commit; created: boolean }> {
    const op = {
      at,
      branch,
      action: 'branch.commit-derived',
      permission: 'data.write',
      inputs: { base, changes: digestOf(asJson(changes)), message: input.message },
      result: (r: { commit: Commit; created: boolean }) => ({ commit: r.commit.id, snapshot: r.commit.snapshot, created: r.created }),
    } as const;
    return this.mutate(actor, op, async (who) => {
      const snapshot = parseSnapshotHash(base, 'base');
      if (snapshot !== EMPTY_SNAPSHOT && !(await this.deps.grants.hasSnapshot(at.project, snapshot))) throw new NotFoundError('snapshot', snapshot);
      const blobs = changes.flatMap((c) => ('blob' in c && typeof c.blob === 'string' && isSha256(c.blob) ? [c.blob] : []));
      const [missing] = await this.deps.grants.missingBlobs(at.project, blobs);
      if (missing !== undefined) throw new NotFoundError('blob', missing);
      return this.engine.commitDerived(address(at), parseBranchName(branch), snapshot, changes, {
        author: who.name,
        message: input.message,
        meta: input.meta,
        expectedHead: input.expectedHead === undefined ? undefined : parseCommitId(input.expectedHead, 'expected head'),
      });
    });
  }

  async log(actor: Actor | null, at: DatasetAddress, ref: string, page: Page) {
    await this.requireRef(actor, at, ref);
    return this.engine.log(address(at), ref, {
      limit: page.limit,
      after: page.after === undefined ? undefined : parseCommitId(page.after, 'cursor'),
    });
  }

  /**
   * A commit of the project by id. Any member may load one: commits are reached through refs
   * the caller was allowed to read (a branch head, a log page, a commit's parents).
   * @throws InvalidHashError, ForbiddenError, NotFoundError('commit') also for another project's commit
   */
  async getCommit(actor: Actor | null, project: string, id: string): Promise<Commit> {
    const commit = parseCommitId(id);
    await this.deps.access.requireMember(actor, project, 'commit.read');
    if (!(await this.deps.grants.hasCommit(project, commit))) throw new NotFoundError('commit', commit);
    return this.engine.getCommit(commit);
  }

  /**
   * A snapshot of the project by hash, with its item count and total bytes.
   * @throws InvalidHashError, ForbiddenError, NotFoundError('snapshot')
   */
  async getSnapshot(actor: Actor | null, project: string, hash: string) {
    await this.deps.access.require(actor, { project, permission: 'project.read', action: 'snapshot.read' });
    return this.snapshotTotals(actor, project, hash);
  }

  /**
   * Item count and total bytes of a snapshot of the project. Like `getCommit`, open to any
   * member, for snapshots reached through commits.
   * @throws InvalidHashError, ForbiddenError, NotFoundError('snapshot')
   */
  async snapshotTotals(actor: Actor | null, project: string, hash: string) {
    return this.engine.snapshotTotals(await this.requireSnapshot(actor, project, hash));
  }

  /** Items of a ref (a branch shows its staged changes) under an optional prefix. */
  async listItems(actor: Actor | null, at: DatasetAddress, ref: string, page: Page & { prefix?: string | undefined }): Promise<Item[]> {
    await this.requireRef(actor, at, ref);
    return this.engine.listItems(address(at), ref, page);
  }

  /** Items of a snapshot of the project by hash, for any member (see `snapshotTotals`). @throws InvalidHashError, ForbiddenError, NotFoundError('snapshot') */
  async listSnapshotItems(actor: Actor | null, project: string, hash: string, page: Page & { prefix?: string | undefined }): Promise<Item[]> {
    return this.engine.listSnapshot(await this.requireSnapshot(actor, project, hash), page);
  }

  async getItem(actor: Actor | null, at: DatasetAddress, ref: string, path: string): Promise<Item> {
    await this.requireRef(actor, at, ref);
    return this.engine.getItem(address(at), ref, parseItemPath(path));
  }

  /**
   * The snapshot a location names: `dataset@ref` (ref defaults to the main branch), or a bare
   * commit id or snapshot hash of the project.
   * @throws InvalidInputError, InvalidHashError, ForbiddenError, NotFoundError
   */
  async snapshotOf(actor: Actor | null, project: string, location: string): Promise<SnapshotHash> {
    if (isSha256(location)) {
      await this.deps.access.require(actor, { project, permission: 'project.read', action: 'snapshot.read' });
      if (await this.deps.grants.hasCommit(project, location)) return (await this.engine.getCommit(location as CommitId)).snapshot;
      return this.requireSnapshot(actor, project, location);
    }
    const at = location.indexOf('@');
    const dataset = at < 0 ? location : location.slice(0, at);
    const ref = at < 0 ? 'main' : location.slice(at + 1);
    if (!dataset || !ref) throw new InvalidInputError('ref', `expected dataset@ref, a commit id or a snapshot hash, got ${JSON.stringify(location)}`);
    return (await this.resolve(actor, { project, dataset }, ref)).snapshot;
  }

  /** Changes between two locations (see `snapshotOf`), in path order, one page at a time. */
  async diff(actor: Actor | null, project: string, from: string, to: string, page: Page): Promise<ItemChange[]> {
    const [a, b] = [await this.snapshotOf(actor, project, from), await this.snapshotOf(actor, project, to)];
    if (page.after !== undefined) parseItemPath(page.after);
    return this.engine.diff(a, b, { after: page.after, limit: page.limit });
  }

  merge(actor: Actor | null, at: DatasetAddress, input: { from: string; into: string; strategy?: string | undefined; message?: string | undefined }) {
    const op = {
      at,
      action: 'branch.merge',
      permission: 'data.write',
      target: `${at.dataset}@${input.into}`,
      inputs: { from: input.from, strategy: input.strategy ?? 'fail' },
      result: (r: { commit: Commit; created: boolean }) => ({ commit: r.commit.id, created: r.created }),
    } as const;
    return this.mutate(actor, op, (who) => {
      const strategy = (input.strategy ?? 'fail') as MergeStrategy;
      if (!STRATEGIES.includes(strategy)) throw new InvalidInputError('strategy', `must be one of ${STRATEGIES.join(', ')}`);
      return this.engine.merge(address(at), parseBranchName(input.from), parseBranchName(input.into), {
        author: who.name,
        strategy,
        message: input.message,
      });
    });
  }

  private require(actor: Actor | null, at: DatasetAddress, permission: Permission, action: string, branch?: string): Promise<Actor> {
    return this.deps.access.require(actor, { project: at.project, permission, dataset: at.dataset, branch, action });
  }

  /**
   * Reading a ref: a branch name needs `branch.read` on it (so labelers reach their assigned
   * branches only); a hash must be one the project holds, else it is not found, exactly as
   * if it did not exist anywhere.
   */
  private async requireRef(actor: Actor | null, at: DatasetAddress, ref: string): Promise<Actor> {
    const who = await this.require(actor, at, 'branch.read', 'ref.read', ref);
    if (isSha256(ref) && !(await this.deps.grants.hasCommit(at.project, ref)) && !(await this.deps.grants.hasSnapshot(at.project, ref)))
      throw new NotFoundError('ref', ref);
    return who;
  }

  /** @throws InvalidHashError, ForbiddenError, NotFoundError('snapshot') */
  private async requireSnapshot(actor: Actor | null, project: string, hash: string): Promise<SnapshotHash> {
    const snapshot = parseSnapshotHash(hash);
    await this.deps.access.requireMember(actor, project, 'snapshot.read');
    if (!(await this.deps.grants.hasSnapshot(project, snapshot))) throw new NotFoundError('snapshot', snapshot);
    return snapshot;
  }

  /**
   * A guarded, audited mutation of a dataset (see `guardedMutation`); the audit entry's target
   * is `op.target`, else `dataset@branch`, else the dataset.
   */
  private mutate<T>(actor: Actor | null, op: DatasetMutation<T>, work: (actor: Actor) => Promise<T>): Promise<T> {
    const request = { project: op.at.project, permission: op.permission, dataset: op.at.dataset, branch: op.branch, action: op.action };
    const target = op.target ?? (op.branch === undefined ? op.at.dataset : `${op.at.dataset}@${op.branch}`);
    return guardedMutation(this.deps, actor, request, { target, inputs: op.inputs }, work, op.result);
  }

}

/** What `DatasetService.mutate` needs to know of a mutation. */
interface DatasetMutation<T> {
  readonly at: DatasetAddress;
  readonly action: string;
  readonly permission: Permission;
  /** The branch acted on, for permissions that labelers hold per branch. */
  readonly branch?: string | undefined;
  readonly target?: string | undefined;
  readonly inputs: JsonObject;
  readonly result?: ((value: T) => JsonValue) | undefined;
}

const headOf = (branch: Branch): JsonValue => ({ head: branch.head });
const commitOf = (made: { commit: Commit }): JsonValue => ({ commit: made.commit.id, snapshot: made.commit.snapshot });
const countOf = (count: number): JsonValue => ({ count });

function address(at: DatasetAddress) {
  return { project: parseProjectName(at.project), dataset: parseDatasetName(at.dataset) };
}

function checkPage(page: Page): Page {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 1000)
    throw new InvalidInputError('limit', 'must be an integer from 1 to 1000');
  return page;
}

/** Inputs as JSON would carry them (absent fields dropped), for their digest in the audit log. */
function asJson(values: readonly object[]): JsonValue[] {
  return JSON.parse(JSON.stringify(values)) as JsonValue[];
}
