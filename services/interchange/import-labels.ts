import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { MAX_CHANGES_PER_CALL, type ItemChangeInput } from '../../core/versioning/staged-changes.ts';
import { directorySource } from '../../formats/directory-source.ts';
import type { FormatItem, LabelFormat } from '../../formats/format.ts';
import { labelFormat } from '../../formats/registry.ts';
import type { AccessControl } from '../access/access-control.ts';
import { guardedMutation } from '../access/guarded-mutation.ts';
import type { Actor } from '../actor.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import type { BlobService } from '../blob-service.ts';
import type { DatasetService } from '../dataset-service.ts';
import type { BlobPutEntry } from '../put-many.ts';
import { checkFormatItems, existingItems, mergedMeta } from './import-checks.ts';
import { LabelImportRejectedError } from './import-rejected-error.ts';
import { mediaTypeOfFile } from './media-type.ts';
import { privateDir } from './private-dir.ts';
import { spoolTar } from './spool-tar.ts';

export interface LabelImportDeps {
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  /** Where each import gets its private spool directory, removed when the import ends. */
  readonly tempRoot: string;
  /** Bytes an import's files may hold in all: the server's `maxBlobBytes`. */
  readonly maxBytes: number;
  /** Files an import may hold; default 100,000. */
  readonly maxFiles?: number | undefined;
  /** Largest image a format may measure (formats with normalized coordinates); the server's `maxImagePixels`. */
  readonly maxImagePixels: number;
  /** The format called `name`; default: the registry's (formats/registry.ts). @throws InvalidInputError('format') */
  readonly formats?: ((name: string) => LabelFormat) | undefined;
}

/** Where an import goes and how to read it, as clients send it. */
export interface LabelImportRequest {
  readonly project: string;
  readonly dataset: string;
  readonly branch: string;
  /** A registered format's name (formats/registry.ts). */
  readonly format: string;
  /** What the files were called on the client (a directory name), recorded in the commit's meta. */
  readonly source?: string | undefined;
}

/** What an import committed. `created` is false when the branch already held exactly these items. */
export interface LabelImportResult {
  readonly commit: string;
  readonly snapshot: string;
  readonly items: number;
  readonly annotations: number;
  readonly created: boolean;
}

export const DEFAULT_MAX_IMPORT_FILES = 100_000;
const MAX_SOURCE_NAME = 256;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Imports a directory tree laid out in a label format into `dataset@branch` as one commit.
 *
 * The tree arrives as a tar stream (`body`), spooled to a private temporary directory within
 * the limits (spool-tar.ts), then read by the format's reader. If the reader or the import's
 * checks find any error — including annotation-only records for items not on the branch —
 * nothing is written and LabelImportRejectedError lists every one. Otherwise the media files
 * are stored as blobs of the project (BlobService.putMany: grants and audit as for any
 * upload), and the items (media, meta, annotations; annotation-only records keep the existing
 * item's blob and meta under theirs) are committed in one step on top of the branch head, the
 * head the import started from (DatasetService.commitDerived): nothing is staged, so a failed
 * import leaves no staged change behind and changes others staged on the branch are neither
 * swept in nor touched. The commit's message is `import <format>: N items`, its meta
 * `{format, source}`.
 *
 * Needs `data.write` on the project; the whole import is one audited `labels.import`.
 * @throws InvalidInputError (unknown format, bad source name, a bad tar, too many items),
 *   InvalidPathError, BlobTooLargeError, LabelImportRejectedError, ForbiddenError,
 *   NotFoundError('dataset' | 'branch' | 'ref'), RefConflictError when the branch moved during
 *   the import (nothing was committed; import again)
 */
export async function importLabels(
  deps: LabelImportDeps,
  actor: Actor | null,
  request: LabelImportRequest,
  body: AsyncIterable<Uint8Array>,
): Promise<LabelImportResult> {
  const format = (deps.formats ?? labelFormat)(request.format);
  const source = checkSourceName(request.source);
  const { project, dataset, branch } = request;
  const at = { project, dataset };
  const access = { project, permission: 'data.write' as const, dataset, branch, action: 'labels.import' };
  const record = { target: `${dataset}@${branch}`, inputs: { format: format.name, source } };
  return guardedMutation(deps, actor, access, record, async (who) => {
    const head = await deps.datasets.resolve(who, at, branch);
    if (head.kind !== 'branch') throw new InvalidInputError('branch', `${JSON.stringify(branch)} is not a branch`);
    const root = await privateDir(deps.tempRoot, 'sheaf-import-');
    try {
      const spooled = await spoolTar(body, root, { maxBytes: deps.maxBytes, maxFiles: deps.maxFiles ?? DEFAULT_MAX_IMPORT_FILES });
      const read = await format.read(directorySource(root, { maxImagePixels: deps.maxImagePixels }), {});
      const { items } = read;
      if (items.length > MAX_CHANGES_PER_CALL)
        throw new InvalidInputError('import', `at most ${MAX_CHANGES_PER_CALL} items per import, got ${items.length}; split it`);
      const existing = await existingItems(items, (path) => deps.datasets.getItem(who, at, head.commit.id, path));
      const errors = [...read.errors, ...checkFormatItems(items, new Set(spooled.files)), ...existing.errors];
      if (errors.length > 0) throw new LabelImportRejectedError(format.name, errors);

      const blobs = await storeMedia(deps.blobs, who, project, root, items);
      const changes: ItemChangeInput[] = items.map((item) => {
        if (item.media !== null) return { path: item.path, blob: blobs.get(item.media)!, meta: item.meta, annotations: item.annotations };
        const old = existing.found.get(item.path)!;
        return { path: item.path, blob: old.blob, meta: mergedMeta(old.meta, item.meta), annotations: item.annotations };
      });
      const annotations = items.reduce((sum, item) => sum + item.annotations.length, 0);
      const meta: JsonObject = { format: format.name, source };
      const made = await deps.datasets.commitDerived(who, at, branch, head.snapshot, changes, {
        message: `import ${format.name}: ${items.length} items`,
        meta,
        expectedHead: head.commit.id,
      });
      return { commit: made.commit.id, snapshot: made.commit.snapshot, items: items.length, annotations, created: made.created };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, (result) => ({ commit: result.commit, snapshot: result.snapshot, items: result.items, annotations: result.annotations }));
}

/**
 * Stores every media file the items name (each once) as a blob of the project, streamed from
 * the spool; returns their hashes by source path. @throws the first failure of the puts
 */
async function storeMedia(blobs: BlobService, actor: Actor, project: string, root: string, items: readonly FormatItem[]): Promise<Map<string, string>> {
  const media = [...new Set(items.flatMap((item) => (item.media === null ? [] : [item.media])))];
  if (media.length === 0) return new Map();
  async function* entries(): AsyncGenerator<BlobPutEntry> {
    for (const path of media) yield { content: createReadStream(join(root, ...path.split('/'))), mediaType: mediaTypeOfFile(path) };
  }
  const outcome = await blobs.putMany(actor, project, entries());
  if (outcome.failure) throw outcome.failure.error;
  return new Map(media.map((path, index) => [path, outcome.stored[index]!.hash]));
}

/** @throws InvalidInputError('source') */
function checkSourceName(source: string | undefined): string {
  if (source === undefined || source === '') return 'upload';
  if (source.length > MAX_SOURCE_NAME || CONTROL.test(source))
    throw new InvalidInputError('source', `must be a name of at most ${MAX_SOURCE_NAME} characters without control characters`);
  return source;
}
