import { Readable } from 'node:stream';
import { NotFoundError } from '../../core/errors.ts';
import type { Actor } from '../actor.ts';
import type { BlobService } from '../blob-service.ts';
import { wholeBytes } from '../whole-bytes.ts';
import type { PreviewCache, PreviewKey } from './preview-cache.ts';
import { ImageTooLargeError } from './preview-errors.ts';
import { PREVIEW_MEDIA_TYPES, RENDER_VERSION, renderPreview, type PreviewFormat } from './render-preview.ts';

/** Preview sizes asked for are clamped to this range (pixels of the longer side). */
export const PREVIEW_MIN_WIDTH = 64;
export const PREVIEW_MAX_WIDTH = 2048;
export const PREVIEW_DEFAULT_WIDTH = 1280;

/**
 * Largest blob a preview reads into memory. Far above any photograph; a bigger "image" is a
 * pixel bomb or not an image, refused before a byte of it is read.
 */
export const MAX_PREVIEW_SOURCE_BYTES = 256 * 1024 * 1024;

export interface PreviewServiceDeps {
  readonly blobs: BlobService;
  readonly cache: PreviewCache;
  /** Images whose header declares more pixels are refused before decoding (config `maxImagePixels`). */
  readonly maxImagePixels: number;
  /** Largest blob read for a preview; default MAX_PREVIEW_SOURCE_BYTES. */
  readonly maxSourceBytes?: number;
  /** Called each time an image is decoded (a cache miss), for metrics and tests. */
  readonly onRender?: (key: PreviewKey) => void;
}

/** A preview's content, ready to send. */
export interface PreviewContent {
  readonly size: number;
  readonly body: Readable;
}

/**
 * A preview the caller may see, not rendered yet: what identifies it (enough for a conditional
 * request), and `open` to get its bytes, from the cache or rendered now.
 */
export interface Preview {
  readonly key: PreviewKey;
  readonly mediaType: string;
  /** Strong validator of the preview's bytes: they depend only on the key. */
  readonly etag: string;
  /** @throws NotAnImageError, ImageTooLargeError, and what BlobService.open throws */
  open(): Promise<PreviewContent>;
}

/**
 * Image previews of a project's blobs: scaled to fit a square bound, upright, re-encoded as
 * JPEG or WebP, and cached for good under the blob's hash (a blob never changes, so neither do
 * its previews). Access is the blob's: `blob.read` in the project, and the project must hold
 * the blob. Concurrent requests for the same missing preview render it once.
 */
export class PreviewService {
  private readonly rendering = new Map<string, Promise<Buffer>>();

  constructor(private readonly deps: PreviewServiceDeps) {}

  /** `requested` clamped to [PREVIEW_MIN_WIDTH, PREVIEW_MAX_WIDTH]; the default when undefined. */
  static clampWidth(requested: number | undefined): number {
    if (requested === undefined) return PREVIEW_DEFAULT_WIDTH;
    return Math.min(PREVIEW_MAX_WIDTH, Math.max(PREVIEW_MIN_WIDTH, Math.round(requested)));
  }

  /**
   * The preview of a blob of the project, checked for access but not rendered: `open` it to
   * get its bytes. `width` is clamped (see clampWidth).
   * @throws ForbiddenError without `blob.read`, InvalidHashError, NotFoundError('blob') when the
   *   project does not hold the blob
   */
  async preview(actor: Actor | null, project: string, hash: string, options: { width?: number; format: PreviewFormat }): Promise<Preview> {
    const found = await this.deps.blobs.stat(actor, project, hash);
    if (!found) throw new NotFoundError('blob', hash);
    const key: PreviewKey = { blob: hash, width: PreviewService.clampWidth(options.width), format: options.format, version: RENDER_VERSION };
    return {
      key,
      mediaType: PREVIEW_MEDIA_TYPES[key.format],
      etag: `"${idOf(key)}"`,
      open: async () => {
        const cached = await this.deps.cache.get(key);
        if (cached) return { size: cached.size, body: cached.stream() };
        const limit = this.deps.maxSourceBytes ?? MAX_PREVIEW_SOURCE_BYTES;
        if (found.size > limit) throw new ImageTooLargeError(hash, `more than ${limit} bytes`);
        const bytes = await this.rendered(key, () => this.deps.blobs.open(actor, project, hash));
        return { size: bytes.byteLength, body: Readable.from([bytes]) };
      },
    };
  }

  /** Renders and caches `key`, or joins the rendering of it already in progress. */
  private rendered(key: PreviewKey, read: () => Promise<AsyncIterable<Uint8Array>>): Promise<Buffer> {
    const id = idOf(key);
    let pending = this.rendering.get(id);
    if (!pending) {
      pending = this.render(key, read).finally(() => this.rendering.delete(id));
      this.rendering.set(id, pending);
    }
    return pending;
  }

  private async render(key: PreviewKey, read: () => Promise<AsyncIterable<Uint8Array>>): Promise<Buffer> {
    const source = await wholeBytes(await read());
    this.deps.onRender?.(key);
    const { bytes } = await renderPreview(key.blob, source, {
      bound: key.width,
      format: key.format,
      maxPixels: this.deps.maxImagePixels,
    });
    await this.deps.cache.put(key, bytes);
    return bytes;
  }
}

/** One string naming a preview: what its bytes depend on, and nothing else. */
function idOf(key: PreviewKey): string {
  return `${key.blob}.w${key.width}.${key.version}.${key.format}`;
}
