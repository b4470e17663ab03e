import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError, NotFoundError, RefConflictError } from '../../core/errors.ts';
import type { BlobHash } from '../../core/ids.ts';
import type { LineageStore } from '../../core/lineage/lineage-store.ts';
import type { Item } from '../../core/model.ts';
import { EMPTY_SNAPSHOT } from '../../core/prolly/node-codec.ts';
import type { ItemChangeInput } from '../../core/versioning/staged-changes.ts';
import type { Transform, TransformInput, TransformOutput, TransformRejection } from '../../core/transforms/transform.ts';
import type { AccessControl } from '../access/access-control.ts';
import { credentialLabel, type Actor } from '../actor.ts';
import type { BlobService } from '../blob-service.ts';
import type { DatasetService } from '../dataset-service.ts';
import { wholeBytes } from '../whole-bytes.ts';
import { ComputeSlots } from './compute-slots.ts';
import { InputReadAhead } from './input-read-ahead.ts';
import { OutputBatches } from './output-batches.ts';
import { snapshotInputReader, type ItemBytesReader } from './snapshot-input-reader.ts';
import type { ItemOutcome, RememberedOutput, TransformKey, TransformMemo, TransformRun } from './transform-memo.ts';

/** What to run: a transform by name on a location (`dataset@ref`, commit id or snapshot hash), into a branch. */
export interface TransformRequest {
  readonly transform: string;
  readonly params: JsonObject;
  readonly input: string;
  readonly output: { readonly dataset: string; readonly branch: string };
}

/** How a run ended. */
export interface TransformResult {
  readonly inputSnapshot: string;
  readonly outputSnapshot: string;
  readonly commit: string;
  /** The same run had finished before: its output was reused, nothing was computed. */
  readonly memoized: boolean;
  /** Input items the transform ran on; the rest came from the memo of earlier runs. */
  readonly computed: number;
  readonly reused: number;
  readonly rejected: readonly { path: string; reason: string }[];
}

export interface TransformRunnerDeps {
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
  readonly access: AccessControl;
  readonly memo: TransformMemo;
  readonly lineage: LineageStore;
  readonly transformNamed: (name: string) => Transform | undefined;
  readonly maxImagePixels: number;
}

const PAGE = 500;
/**
 * Items computed at once (see ComputeSlots): image decodes are CPU work in the thread pool; 4
 * whatever their size, up to 8 while their inputs total at most 8 MiB (small photos: with 8 in
 * flight, 2,000 photos of 39 KiB ran 2–10% faster than with 4 on 2 cores).
 */
const COMPUTE = { items: 4, smallItems: 8, smallBytes: 8 * 1024 * 1024 };
/** Item outcomes written to the memo together. */
const MEMO_BATCH = 64;
/**
 * Inputs read ahead of the computation (see InputReadAhead): enough that each worker finds its
 * next input read, bounded so that large inputs (videos) are not held several at once.
 */
const READ_AHEAD = { items: 2 * COMPUTE.items, bytes: 32 * 1024 * 1024 };

/**
 * Runs transforms from one snapshot to another. A run:
 * 1. returns the stored output at once when the same (input, transform, version, parameters)
 *    ran before in the project;
 * 2. else, for an item transform, starts from the latest earlier run with the same transform
 *    and parameters and recomputes only the items that differ between its input and this one
 *    (every item's outcome is memoized by the item's content); a dataset transform recomputes all;
 * 3. builds the output snapshot from that run's output (or from empty) plus the changes, and
 *    commits it on the output branch (see DatasetService.commitDerived) — so the output hash
 *    depends on the input and parameters only, never on what the branch held;
 * 4. records the run in the memo and a `derived_from` lineage edge from input to output.
 * Rejected inputs (a corrupt image) are left out of the output and listed.
 */
export class TransformRunner {
  constructor(private readonly deps: TransformRunnerDeps) {}

  /**
   * @throws InvalidInputError (unknown transform, bad parameters), ForbiddenError, NotFoundError,
   * whatever the transform throws
   */
  async run(actor: Actor | null, project: string, request: TransformRequest, progress: (done: number, total: number) => void, signal: AbortSignal): Promise<TransformResult> {
    const transform = this.deps.transformNamed(request.transform);
    if (!transform) throw new InvalidInputError('transform', `no transform named ${JSON.stringify(request.transform)}`);
    const params = transform.parseParams(request.params) as JsonObject;
    const paramsJson = canonicalJson(params as never);
    const key: TransformKey = { project, transform: transform.name, version: transform.version, paramsHash: sha256(paramsJson) };
    const who = await this.deps.access.require(actor, { project, permission: 'data.write', dataset: request.output.dataset, action: 'transform.run' });
    const inputSnapshot = await this.deps.datasets.snapshotOf(who, project, request.input);

    const done = await this.deps.memo.findRun(key, inputSnapshot);
    if (done) {
      const commit = await this.publish(who, project, request, EMPTY_SNAPSHOT, [], done.outputSnapshot, transform, paramsJson, inputSnapshot);
      return { inputSnapshot, outputSnapshot: done.outputSnapshot, commit, memoized: true, computed: 0, reused: 0, rejected: done.rejected };
    }

    const context = { maxImagePixels: this.deps.maxImagePixels, signal };
    const plan =
      transform.kind === 'item'
        ? await this.planItems(who, project, key, inputSnapshot, await this.deps.memo.latestRun(key), (input) => transform.apply(input, params as never, context), progress, signal)
        : await this.planDataset(who, project, inputSnapshot, () => transform.apply(() => this.inputs(who, project, inputSnapshot), params as never, context), progress, signal);
    const commit = await this.publish(who, project, request, plan.base, plan.changes, null, transform, paramsJson, inputSnapshot);
    const outputSnapshot = (await this.deps.datasets.getCommit(who, project, commit)).snapshot;
    await this.deps.memo.saveRun(key, params, { inputSnapshot, outputSnapshot, rejected: plan.rejected });
    await this.deps.lineage.append({
      project,
      kind: 'derived_from',
      source: inputSnapshot,
      target: outputSnapshot,
      actorId: who.userId,
      actorName: who.name,
      credential: credentialLabel(who.credential),
      details: canonicalJson({ transform: transform.name, version: transform.version, params, commit } as never),
    });
    return { inputSnapshot, outputSnapshot, commit, memoized: false, computed: plan.computed, reused: plan.reused, rejected: plan.rejected };
  }

  /**
   * An item transform's changes against the base it starts from: the latest earlier run's
   * output when its input is known, else the empty snapshot with every input item added.
   */
  private async planItems(
    actor: Actor,
    project: string,
    key: TransformKey,
    inputSnapshot: string,
    earlier: TransformRun | null,
    apply: (input: TransformInput) => Promise<TransformOutput[] | TransformRejection>,
    progress: (done: number, total: number) => void,
    signal: AbortSignal,
  ): Promise<Plan> {
    const changed: { before: Item | null; after: Item | null }[] = [];
    if (earlier) {
      for (let after: string | undefined; ; ) {
        const page = await this.deps.datasets.diff(actor, project, earlier.inputSnapshot, inputSnapshot, { after, limit: PAGE });
        changed.push(...page);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.path;
      }
    } else {
      for await (const item of this.items(actor, project, inputSnapshot)) changed.push({ before: null, after: item });
    }
    const befores = changed.flatMap((c) => (c.before ? [c.before] : []));
    const afters = changed.flatMap((c) => (c.after ? [c.after] : []));
    // Each item's key is computed once (canonical JSON and a hash): it is looked up and saved.
    const keys = new Map<Item, string>([...befores, ...afters].map((item) => [item, inputKeyOf(item)]));
    const keyOf = (item: Item) => keys.get(item)!;
    const known = await this.deps.memo.findItems(key, [...keys.values()]);

    const changes = new Map<string, ItemChangeInput>();
    // Outputs of items that left or changed go first; outputs of the new versions may put them back.
    for (const before of befores) {
      const outcome = known.get(keyOf(before));
      // Memo rows are never deleted, but if one is missing the earlier output cannot be patched: start from empty.
      if (!outcome) return this.planItems(actor, project, key, inputSnapshot, null, apply, progress, signal);
      if ('outputs' in outcome) for (const output of outcome.outputs) changes.set(output.path, { path: output.path, delete: true });
    }
    let computed = 0;
    // Outcomes are remembered as they come, so a run cut short (cancelled, timed out, its
    // process killed) is resumed by its retry without computing them again.
    let fresh = new Map<string, ItemOutcome>();
    let saving = Promise.resolve();
    const flush = () => {
      const batch = fresh;
      fresh = new Map();
      saving = saving.then(() => this.deps.memo.saveItems(key, batch));
      return saving;
    };
    const outcomes = new Map<string, ItemOutcome>();
    const settle = (item: Item, outcome: ItemOutcome) => {
      fresh.set(keyOf(item), outcome);
      outcomes.set(item.path, outcome);
      // A failed write surfaces at the final flush, which waits on the same chain.
      if (fresh.size >= MEMO_BATCH) flush().catch(() => {});
    };
    // New bytes are stored in batches behind the computation: a worker goes on to its next
    // item while its outputs wait for their batch.
    const batches = new OutputBatches(this.deps.blobs, actor, project);
    const storing: Promise<void>[] = [];
    const toCompute: Item[] = [];
    for (const item of afters) {
      const memoized = known.get(keyOf(item));
      if (memoized) outcomes.set(item.path, memoized);
      else toCompute.push(item);
    }
    let doneCount = afters.length - toCompute.length;
    if (doneCount > 0) progress(doneCount, afters.length);
    const read = toCompute.length ? await snapshotInputReader(this.deps.blobs, actor, project, inputSnapshot) : undefined;
    const inputs = new InputReadAhead(toCompute, (item) => this.readBytes(actor, project, item, read), (item) => item.size, READ_AHEAD);
    const slots = new ComputeSlots(COMPUTE);
    const worker = async () => {
      for (let input = inputs.take(); input; input = inputs.take()) {
        signal.throwIfAborted();
        const item = input.item;
        const done = await slots.acquire(item.size);
        let result: Awaited<ReturnType<typeof apply>>;
        try {
          signal.throwIfAborted();
          result = await apply({ ...this.inputOf(actor, project, item, read), bytes: input.bytes });
        } finally {
          done();
        }
        computed++;
        if (!Array.isArray(result)) settle(item, { rejected: result.rejected });
        else {
          const stored = this.remember(result, batches).then((outputs) => settle(item, { outputs }));
          // Observed now so a failed batch is not an unhandled rejection; awaited below.
          stored.catch(() => {});
          storing.push(stored);
        }
        progress(++doneCount, afters.length);
      }
    };
    try {
      await Promise.all(Array.from({ length: COMPUTE.smallItems }, worker));
    } finally {
      await batches.drain();
      await Promise.allSettled(storing);
      await flush();
    }
    await Promise.all(storing);
    // Nothing is committed for a run stopped meanwhile, even if its last items finished.
    signal.throwIfAborted();

    const rejected: { path: string; reason: string }[] = [];
    for (const item of afters) {
      const outcome = outcomes.get(item.path)!;
      if ('rejected' in outcome) rejected.push({ path: item.path, reason: outcome.rejected });
      else for (const output of outcome.outputs) changes.set(output.path, { path: output.path, blob: output.blob, meta: output.meta, annotations: output.annotations });
    }
    if (earlier) rejected.push(...earlier.rejected.filter((r) => !changed.some((c) => c.before?.path === r.path)));
    return { base: earlier?.outputSnapshot ?? EMPTY_SNAPSHOT, changes: [...changes.values()], computed, reused: afters.length - computed, rejected: sortByPath(rejected) };
  }

  /** A dataset transform: every output, from the empty snapshot. */
  private async planDataset(
    actor: Actor,
    project: string,
    inputSnapshot: string,
    apply: () => AsyncIterable<TransformOutput | TransformRejection>,
    progress: (done: number, total: number) => void,
    signal: AbortSignal,
  ): Promise<Plan> {
    const { count } = await this.deps.datasets.snapshotTotals(actor, project, inputSnapshot);
    const changes = new Map<string, ItemChangeInput>();
    const rejected: { path: string; reason: string }[] = [];
    let produced = 0;
    for await (const result of apply()) {
      signal.throwIfAborted();
      if ('rejected' in result) {
        rejected.push({ path: result.path ?? '', reason: result.rejected });
        continue;
      }
      const stored = await this.store(actor, project, result);
      changes.set(stored.path, { path: stored.path, blob: stored.blob, meta: stored.meta, annotations: stored.annotations });
      progress(Math.min(++produced, count), count);
    }
    return { base: EMPTY_SNAPSHOT, changes: [...changes.values()], computed: count, reused: 0, rejected: sortByPath(rejected) };
  }

  /** An item transform's outputs as remembered, their new bytes stored through `batches`. */
  private remember(outputs: readonly TransformOutput[], batches: OutputBatches): Promise<RememberedOutput[]> {
    return Promise.all(
      outputs.map(async (output) => ({
        path: output.path,
        blob: output.content instanceof Uint8Array ? await batches.add(output.content, output.mediaType) : output.content.blob,
        meta: output.meta,
        annotations: output.annotations,
      })),
    );
  }

  private async store(actor: Actor, project: string, output: TransformOutput): Promise<RememberedOutput> {
    const content = output.content;
    const blob =
      content instanceof Uint8Array ? (await this.deps.blobs.put(actor, project, content, { mediaType: output.mediaType })).hash : content.blob;
    return { path: output.path, blob, meta: output.meta, annotations: output.annotations };
  }

  /**
   * Commits the output on the branch: `base` plus `changes`, or (for a memoized run) exactly
   * the stored `known` snapshot — rebuilt as its own diff from empty would cost its size, so
   * it is committed from itself with no changes. Retries once when the branch moved meanwhile.
   */
  private async publish(
    actor: Actor,
    project: string,
    request: TransformRequest,
    base: string,
    changes: readonly ItemChangeInput[],
    known: string | null,
    transform: Transform,
    paramsJson: string,
    inputSnapshot: string,
  ): Promise<string> {
    const at = { project, dataset: request.output.dataset };
    await this.ensureBranch(actor, at, request.output.branch);
    const message = `${transform.name}@${transform.version} of ${inputSnapshot.slice(0, 12)}`;
    const meta = { transform: { name: transform.name, version: transform.version, params: JSON.parse(paramsJson), input: inputSnapshot } };
    for (let attempt = 0; ; attempt++) {
      try {
        const { commit } = await this.deps.datasets.commitDerived(actor, at, request.output.branch, known ?? base, known ? [] : changes, { message, meta });
        return commit.id;
      } catch (error) {
        if (!(error instanceof RefConflictError) || attempt > 0) throw error;
      }
    }
  }

  private async ensureBranch(actor: Actor, at: { project: string; dataset: string }, branch: string): Promise<void> {
    try {
      await this.deps.datasets.getBranch(actor, at, branch);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await this.deps.datasets.createBranch(actor, at, branch, 'main');
    }
  }

  private async *items(actor: Actor, project: string, snapshot: string): AsyncGenerator<Item> {
    for (let after: string | undefined; ; ) {
      const page = await this.deps.datasets.listSnapshotItems(actor, project, snapshot, { after, limit: PAGE });
      yield* page;
      if (page.length < PAGE) return;
      after = page[page.length - 1]!.path;
    }
  }

  private async *inputs(actor: Actor, project: string, snapshot: string): AsyncGenerator<TransformInput> {
    for await (const item of this.items(actor, project, snapshot)) yield this.inputOf(actor, project, item);
  }

  private inputOf(actor: Actor, project: string, item: Item, read?: ItemBytesReader): TransformInput {
    return {
      path: item.path,
      blob: item.blob as BlobHash,
      size: item.size,
      meta: item.meta,
      annotations: item.annotations,
      bytes: () => this.readBytes(actor, project, item, read),
    };
  }

  /**
   * An input's bytes: through `read` when given (an item transform's inputs, see
   * snapshotInputReader), else opened one by one, verified against its hash as they are read.
   */
  private async readBytes(actor: Actor, project: string, item: Item, read?: ItemBytesReader): Promise<Uint8Array> {
    if (read) return read(item);
    return wholeBytes(await this.deps.blobs.open(actor, project, item.blob));
  }
}

interface Plan {
  readonly base: string;
  readonly changes: ItemChangeInput[];
  readonly computed: number;
  readonly reused: number;
  readonly rejected: { path: string; reason: string }[];
}

/** What an item transform's outcome depends on: the item's path, bytes (by hash), meta and annotations. */
export function inputKeyOf(item: Item): string {
  return sha256(canonicalJson({ path: item.path, blob: item.blob, meta: item.meta, annotations: item.annotations } as never));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sortByPath<T extends { path: string }>(list: T[]): T[] {
  return list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
