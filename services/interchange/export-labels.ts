import { rm } from 'node:fs/promises';
import { packFiles, type TarFileSource } from '../../adapters/tar/pack-files.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Item } from '../../core/model.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import type { FormatItem, LabelFormat } from '../../formats/format.ts';
import { labelFormat } from '../../formats/registry.ts';
import { requireSignedIn } from '../access/access-control.ts';
import type { Actor } from '../actor.ts';
import type { BlobService } from '../blob-service.ts';
import type { DatasetService } from '../dataset-service.ts';
import type { LineageService } from '../lineage/lineage-service.ts';
import type { ProvisionService } from '../provision/provision-service.ts';
import { AsyncChannel } from './async-channel.ts';
import { privateDir } from './private-dir.ts';
import { parseClassList, snapshotLabels } from './snapshot-labels.ts';
import { MediaLocator } from './media-locator.ts';
import { tarFormatSink } from './tar-format-sink.ts';

export interface LabelExportDeps {
  readonly provision: ProvisionService;
  readonly lineage: LineageService;
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
  /** Where each export gets a private directory for its streamed annotation files. */
  readonly tempRoot: string;
  /** The format called `name`; default: the registry's (formats/registry.ts). @throws InvalidInputError('format') */
  readonly formats?: ((name: string) => LabelFormat) | undefined;
}

/** What to export, as clients send it. */
export interface LabelExportRequest {
  readonly project: string;
  /** A snapshot hash of the project (callers resolve refs to one first). */
  readonly snapshot: string;
  readonly format: string;
  /** Whether the media files go into the archive too. */
  readonly media: boolean;
  /** Class names in id order, comma-separated, for formats that number classes; default: every label of the snapshot, sorted. */
  readonly classes?: string | undefined;
  /** Whether to record the read in lineage (default true); false for checks that send nothing (HEAD). */
  readonly record?: boolean | undefined;
}

/** An export, checked and counted, ready to stream. */
export interface LabelExport {
  readonly snapshot: string;
  readonly format: string;
  readonly items: number;
  readonly annotations: number;
  readonly classes: readonly string[];
  /** The archive: a tar stream of the format's files (and media), produced as it is read. */
  tar(): AsyncGenerator<Uint8Array>;
}

// Files handed to the packer ahead of it: enough to keep it busy, few enough to stay small.
const OUTPUT_AHEAD = 16;

/**
 * Exports a snapshot of the project in a label format, as a tar stream of the files the
 * format's writer makes (annotation files, and the media at the paths the format expects when
 * `media`). Everything that can fail for a reason of the request fails here, before a byte is
 * produced: the format, the class list (every label of the snapshot must be in it), the
 * caller's `project.read` (and `blob.read` with media), a snapshot the project holds (another
 * project's hash is not found). The read is then recorded as a lineage `read` edge (via
 * `export`), like the other snapshot reads.
 *
 * Bounded memory: items are streamed from the snapshot a page at a time (twice: once to count
 * and collect the labels, once to write), streamed annotation files are spooled to disk, media
 * is streamed from the blob store. Deterministic: the tar headers carry no time or owner
 * (packFiles), the default class list is sorted, and items arrive in path order; the same
 * snapshot, format and options give the same bytes.
 * @throws InvalidInputError (format, classes), InvalidHashError, ForbiddenError, NotFoundError('snapshot')
 */
export async function exportLabels(deps: LabelExportDeps, actor: Actor | null, request: LabelExportRequest): Promise<LabelExport> {
  const format = (deps.formats ?? labelFormat)(request.format);
  const given = request.classes === undefined ? undefined : parseClassList(request.classes);
  const read = await deps.provision.read(actor, request.project, request.snapshot, { via: 'export', record: false });
  // Checked before anything is sent: without it, the archive would break at the first media file.
  if (request.media) await deps.blobs.readerOf(actor, request.project, []);
  const found = await snapshotLabels(read.items());
  if (given) {
    const missing = found.labels.filter((label) => !given.includes(label));
    if (missing.length > 0) throw new InvalidInputError('classes', `the snapshot has labels the list lacks: ${missing.slice(0, 10).map((l) => JSON.stringify(l)).join(', ')}`);
  }
  const classes = given ?? found.labels;
  if (request.record !== false) await deps.lineage.recordRead(actor, request.project, read.snapshot, { via: 'export' });
  const who = requireSignedIn(actor);

  return {
    snapshot: read.snapshot,
    format: format.name,
    items: found.items,
    annotations: found.annotations,
    classes,
    async *tar() {
      const spoolDir = await privateDir(deps.tempRoot, 'sheaf-export-');
      const output = new AsyncChannel<TarFileSource>(OUTPUT_AHEAD);
      const locator = new MediaLocator({ actor: who, project: request.project, snapshot: read.snapshot, datasets: deps.datasets, blobs: deps.blobs });
      const sink = tarFormatSink({ output, media: (path) => locator.media(path), spoolDir });
      const items = request.media ? locator.register(read.items()) : read.items();
      const writing = format
        .write(formatItems(items), sink, { classes, includeMedia: request.media })
        .then(() => sink.settled())
        .then(
          () => output.close(),
          (error: unknown) => output.fail(error),
        );
      try {
        yield* packFiles(output);
      } finally {
        await writing;
        await rm(spoolDir, { recursive: true, force: true });
      }
    },
  };
}

/** The snapshot's items as a writer takes them; annotations that are not a list (none yet) are an empty one. */
async function* formatItems(items: AsyncIterable<Item>): AsyncGenerator<FormatItem> {
  for await (const item of items)
    yield { path: item.path, media: item.path, meta: item.meta, annotations: Array.isArray(item.annotations) ? (item.annotations as unknown as Annotation[]) : [] };
}
