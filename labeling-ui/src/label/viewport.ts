/**
 * How the image sits on screen: screen = image · scale + offset (CSS pixels, relative to the
 * stage's top-left). Image coordinates are the original image's pixels, whatever the size of
 * the preview being shown.
 */
export interface Viewport {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 64;
/** Room left around a fitted image, in CSS pixels. */
const FIT_MARGIN = 16;

/** The whole image, as large as fits in the stage, centred. */
export function fitViewport(stage: Size, image: Size): Viewport {
  const room = { width: Math.max(1, stage.width - 2 * FIT_MARGIN), height: Math.max(1, stage.height - 2 * FIT_MARGIN) };
  const scale = clampScale(Math.min(room.width / image.width, room.height / image.height));
  return { scale, x: (stage.width - image.width * scale) / 2, y: (stage.height - image.height * scale) / 2 };
}

/** Zooms by `factor` keeping the image point under the stage point `at` where it is. */
export function zoomAt(view: Viewport, factor: number, at: { x: number; y: number }): Viewport {
  const scale = clampScale(view.scale * factor);
  const k = scale / view.scale;
  return { scale, x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k };
}

/** Moves the image by a screen distance. */
export function panBy(view: Viewport, dx: number, dy: number): Viewport {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** The image point under a stage point. */
export function toImage(view: Viewport, point: { x: number; y: number }): [number, number] {
  return [(point.x - view.x) / view.scale, (point.y - view.y) / view.scale];
}

function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}
