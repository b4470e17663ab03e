import { parseJsonObject, parseJsonValue } from '../canonical-json.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { parseBlobHash, type BlobHash, type SnapshotHash } from '../ids.ts';
import { comparePaths, parseItemPath, type ItemPath } from '../item-path.ts';
import type { Branch, Item, StagedChange } from '../model.ts';
import { getItem, scanItems } from '../prolly/read-tree.ts';
import type { VersionContext } from './version-context.ts';

export const MAX_META_BYTES = 64 * 1024;
export const MAX_ANNOTATIONS_BYTES = 1024 * 1024;
export const MAX_CHANGES_PER_CALL = 50_000;

/** Stage a put of an uploaded blob at `path` (replacing what is there). */
export interface PutItemInput {
  readonly path: string;
  readonly blob: string;
  readonly meta?: unknown;
  readonly annotations?: unknown;
}
/** Stage the removal of `path`. */
export interface DeleteItemInput {
  readonly path: string;
  readonly delete: true;
}
export type ItemChangeInput = PutItemInput | DeleteItemInput;

/**
 * Validates raw changes and stages them on a branch. All-or-nothing: one bad change rejects
 * the whole call before anything is written.
 * @throws InvalidPathError, InvalidHashError, InvalidInputError, NotFoundError('blob')
 */
export async function stageChanges(ctx: VersionContext, branch: Branch, inputs: readonly ItemChangeInput[]): Promise<number> {
  const parsed = await parseItemChanges(ctx, inputs);
  await ctx.store.staging.put(branch.id, parsed);
  return parsed.length;
}

/** A validated change: the item to put at `path`, or null to delete it. */
export interface ParsedItemChange {
  readonly path: ItemPath;
  readonly item: Item | null;
}

/**
 * Validates raw changes into items (sizes from the blob catalog), in the order given.
 * All-or-nothing: the first bad change throws.
 * @throws InvalidPathError, InvalidHashError, InvalidInputError, NotFoundError('blob')
 */
export async function parseItemChanges(ctx: VersionContext, inputs: readonly ItemChangeInput[]): Promise<ParsedItemChange[]> {
  if (inputs.length > MAX_CHANGES_PER_CALL)
    throw new InvalidInputError('changes', `at most ${MAX_CHANGES_PER_CALL} per call, got ${inputs.length}`);
  const seen = new Set<string>();
  const parsed = inputs.map((input) => {
    const path = parseItemPath(input.path);
    if (seen.has(path)) throw new InvalidInputError('changes', `path ${JSON.stringify(path)} appears twice`);
    seen.add(path);
    if ('delete' in input && input.delete === true) return { path, put: null };
    const put = input as PutItemInput;
    return {
      path,
      put: {
        blob: parseBlobHash(put.blob, `blob of ${path}`),
        meta: parseJsonObject(put.meta ?? {}, `meta of ${path}`, MAX_META_BYTES).value,
        annotations: parseJsonValue(put.annotations ?? null, `annotations of ${path}`, MAX_ANNOTATIONS_BYTES).value,
      },
    };
  });
  const blobs = [...new Set(parsed.flatMap((p) => (p.put ? [p.put.blob] : [])))];
  const sizes = blobs.length ? await ctx.store.blobs.sizes(blobs) : new Map<BlobHash, number>();
  const missing = blobs.find((b) => !sizes.has(b));
  if (missing) throw new NotFoundError('blob', missing);
  return parsed.map(({ path, put }) => ({
    path,
    item: put && { path, blob: put.blob, size: sizes.get(put.blob)!, meta: put.meta, annotations: put.annotations },
  }));
}

/** The item at `path` as a branch shows it (staging over the committed tree), or null. */
export async function readBranchItem(ctx: VersionContext, branch: Branch, snapshot: SnapshotHash, path: ItemPath): Promise<Item | null> {
  const staged = (await ctx.store.staging.get(branch.id, [path])).get(path);
  if (staged) return staged.item;
  return (await getItem(ctx.reader, snapshot, path)) ?? null;
}

export interface ListOptions {
  readonly prefix?: string | undefined;
  readonly after?: string | undefined;
  readonly limit: number;
}

/**
 * Items in path order as a branch shows them: the committed tree merged with staging, where a
 * staged put replaces and a staged delete hides. Without a branch, just the snapshot.
 */
export async function listItems(ctx: VersionContext, snapshot: SnapshotHash, branch: Branch | null, options: ListOptions): Promise<Item[]> {
  const out: Item[] = [];
  const tree = scanItems(ctx.reader, snapshot, { prefix: options.prefix, after: options.after });
  const staged = branch ? stagedStream(ctx, branch, options) : emptyStream();
  let t = await tree.next();
  let s = await staged.next();
  while (out.length < options.limit && (!t.done || !s.done)) {
    const order = t.done ? 1 : s.done ? -1 : comparePaths(t.value.path, s.value.path);
    if (order < 0) {
      out.push(t.value as Item);
      t = await tree.next();
    } else {
      if (s.value!.item) out.push(s.value!.item);
      if (order === 0) t = await tree.next();
      s = await staged.next();
    }
  }
  await tree.return(undefined);
  return out;
}

async function* stagedStream(ctx: VersionContext, branch: Branch, options: ListOptions): AsyncGenerator<StagedChange> {
  let after = options.after;
  const limit = Math.min(Math.max(options.limit, 100), 5000);
  for (;;) {
    const page = await ctx.store.staging.list(branch.id, { prefix: options.prefix, after, limit });
    yield* page;
    if (page.length < limit) return;
    after = page[page.length - 1]!.path;
  }
}

async function* emptyStream(): AsyncGenerator<StagedChange> {}
