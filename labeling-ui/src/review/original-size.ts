/** Width and height in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** `meta.width` and `meta.height` when both are positive numbers (what ingest records for images). */
export function sizeFromMeta(meta: Record<string, unknown>): Size | null {
  const { width, height } = meta;
  return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 ? { width, height } : null;
}

/** The `width` a preview URL asks for (`…/preview?width=N`), or null. */
export function requestedPreviewWidth(previewUrl: string): number | null {
  const match = /[?&]width=(\d+)/.exec(previewUrl);
  return match ? Number(match[1]) : null;
}

/**
 * The size of the original image that annotations are measured in, known from a loaded
 * preview: a preview is scaled to fit within N×N and never enlarged, so one smaller than N
 * both ways is the original's size. Null when the preview may have been scaled down (then the
 * original must be measured itself).
 */
export function sizeFromPreview(natural: Size, previewUrl: string): Size | null {
  const requested = requestedPreviewWidth(previewUrl);
  if (requested === null) return null;
  return Math.max(natural.width, natural.height) < requested ? natural : null;
}

/** Loads and decodes an image; its natural size, or null when it cannot be decoded. */
export async function loadImageSize(url: string): Promise<Size | null> {
  const image = new Image();
  image.src = url;
  try {
    await image.decode();
  } catch {
    return null;
  }
  return { width: image.naturalWidth, height: image.naturalHeight };
}

/**
 * The size the item's annotations are measured in: from its meta, else from the preview when
 * that proves unscaled, else by loading the original (contentUrl). Null when none decodes.
 */
export async function originalSize(item: { meta: Record<string, unknown>; previewUrl: string; contentUrl: string }): Promise<Size | null> {
  const fromMeta = sizeFromMeta(item.meta);
  if (fromMeta) return fromMeta;
  const preview = await loadImageSize(item.previewUrl);
  if (preview) {
    const unscaled = sizeFromPreview(preview, item.previewUrl);
    if (unscaled) return unscaled;
  }
  return loadImageSize(item.contentUrl);
}
