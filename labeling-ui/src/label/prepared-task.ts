import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import type { LabelingTask } from '../api/labeling.ts';

/** What the labeling view shows for a task, loaded (and, for images, decoded) before it is needed. */
export type TaskContent =
  | {
      readonly kind: 'image';
      /** Decoded, ready to be placed in the page without a flash. */
      readonly image: HTMLImageElement;
      /** The original image's size: annotations are in its pixels, whatever the preview's size. */
      readonly width: number;
      readonly height: number;
    }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'series'; readonly csv: string }
  | { readonly kind: 'error'; readonly message: string };

export interface PreparedTask {
  readonly task: LabelingTask;
  readonly content: TaskContent;
}

/**
 * Loads what a task shows. Images: the preview, decoded; the original size from the item's
 * meta `width`/`height` or, when they are missing, from the original's natural size (the
 * original then also stands in for a preview that failed). Text and series: the content as text.
 * Never throws: a failure becomes `kind: 'error'`, so the labeler can skip the item.
 */
export async function prepareTask(task: LabelingTask, media: LabelSchema['media'], signal?: AbortSignal): Promise<PreparedTask> {
  try {
    if (media === 'image') return { task, content: await prepareImage(task) };
    const response = await fetch(task.contentUrl, { credentials: 'same-origin', ...(signal ? { signal } : {}) });
    if (!response.ok) throw new Error(`the content answered ${response.status}`);
    const text = await response.text();
    return { task, content: media === 'text' ? { kind: 'text', text } : { kind: 'series', csv: text } };
  } catch (error) {
    return { task, content: { kind: 'error', message: `cannot show ${task.path}: ${error instanceof Error ? error.message : String(error)}` } };
  }
}

async function prepareImage(task: LabelingTask): Promise<TaskContent> {
  const metaSize = sizeFromMeta(task.meta);
  let image: HTMLImageElement;
  try {
    image = await decodedImage(task.previewUrl);
  } catch {
    // No preview (a format the server cannot convert, or an old server): show the original.
    image = await decodedImage(task.contentUrl);
    return { kind: 'image', image, ...(metaSize ?? { width: image.naturalWidth, height: image.naturalHeight }) };
  }
  if (metaSize) return { kind: 'image', image, ...metaSize };
  const original = await decodedImage(task.contentUrl);
  return { kind: 'image', image, width: original.naturalWidth, height: original.naturalHeight };
}

function sizeFromMeta(meta: Record<string, unknown>): { width: number; height: number } | null {
  const { width, height } = meta;
  return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 ? { width, height } : null;
}

async function decodedImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.decoding = 'async';
  image.draggable = false;
  image.alt = '';
  image.src = url;
  await image.decode();
  return image;
}
