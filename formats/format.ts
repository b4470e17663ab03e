import type { JsonObject } from '../core/canonical-json.ts';
import type { Annotation } from '../core/labels/annotation.ts';

/**
 * A labeling interchange format (COCO, YOLO, Pascal VOC, CVAT for images, Label Studio JSON,
 * CSV): a reader from the format's files to Sheaf items, and a writer back. Both are pure:
 * no database, no blob store, no network; the import and export services do the I/O around
 * them, so each format is tested on its own against real files.
 */
export interface LabelFormat {
  /** `coco`, `yolo`, `voc`, `cvat`, `label-studio`, `csv`. */
  readonly name: string;
  readonly description: string;
  /** Reads a directory laid out in this format. Never throws for bad content: errors go in the result. */
  read(source: FormatSource, options: ReadOptions): Promise<ReadResult>;
  /**
   * Writes items in this format: the annotation files (and, when `includeMedia`, the media at
   * their export paths, through `sink.copyMedia`). Items arrive in path order; a writer keeps
   * only what it needs per item (bounded memory for 100k items), streaming its output.
   */
  write(items: AsyncIterable<FormatItem>, sink: FormatSink, options: WriteOptions): Promise<WriteSummary>;
}

/** Read access to the files of an import, relative `/`-separated paths, already checked for traversal. */
export interface FormatSource {
  /** Every file, sorted. */
  list(): Promise<readonly string[]>;
  readText(path: string): Promise<string>;
  /** Streams a large text file line by line (1-based line numbers), for formats that allow it. */
  lines(path: string): AsyncIterable<{ readonly line: number; readonly text: string }>;
  exists(path: string): Promise<boolean>;
  /** Width and height of an image file (for formats that store normalized coordinates). */
  imageSize(path: string): Promise<{ readonly width: number; readonly height: number }>;
}

export interface ReadOptions {
  /** Class names known beforehand (a labeling schema); formats with class ids map through them when the files carry no names. */
  readonly classes?: readonly string[] | undefined;
}

/** One item read from a format: where its media is in the source, and its Sheaf path, meta and annotations. */
export interface FormatItem {
  /** The item's path in the dataset. */
  readonly path: string;
  /** The media file's path in the import source; null for annotation-only records (then the item must exist on the branch). */
  readonly media: string | null;
  /** At least `width`/`height` for images when the format knows them. */
  readonly meta: JsonObject;
  readonly annotations: readonly Annotation[];
}

/** A problem found while reading: where (file and line or entry), and what. */
export interface FormatError {
  readonly file: string;
  /** 1-based line, for line formats (YOLO, CSV, NDJSON). */
  readonly line?: number;
  /** Entry within a file, e.g. `annotations[12]` or `image id=3`. */
  readonly entry?: string;
  readonly message: string;
}

export interface ReadResult {
  readonly items: readonly FormatItem[];
  /** Class names in the format's order (ids map to these). */
  readonly classes: readonly string[];
  /** Non-empty means nothing may be imported. */
  readonly errors: readonly FormatError[];
}

export interface WriteOptions {
  /** The class list, in id order, for formats that number classes. */
  readonly classes: readonly string[];
  readonly includeMedia: boolean;
}

/** Where a writer puts its files; the export service turns them into a tar stream or a directory. */
export interface FormatSink {
  /** Writes a whole (small) file. */
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  /** Opens a streamed file for large annotation files (COCO JSON of 100k annotations). */
  openFile(path: string): Promise<{ write(chunk: string): Promise<void>; close(): Promise<void> }>;
  /** Copies an item's media (by its Sheaf path) to `path` in the output. */
  copyMedia(itemPath: string, path: string): Promise<void>;
}

export interface WriteSummary {
  readonly items: number;
  readonly annotations: number;
  /** Annotations the format cannot express (e.g. spans in YOLO), counted by kind. */
  readonly skipped: Readonly<Record<string, number>>;
}
