/** Extensions of the image files the label formats look for (lower case, without the dot). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'jpeg', 'png', 'bmp', 'webp', 'tif', 'tiff', 'gif']);

/** Whether `path` names an image file by its extension (case-insensitive). */
export function isImageFile(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 && IMAGE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/**
 * How far (in pixels) a coordinate may lie outside its image before a reader reports it. Tools
 * round normalized values and the corners of rotated boxes overshoot by a fraction of a pixel
 * (the Ultralytics oriented-box sample has y = -0.0098 of a 10 px image); such values are kept
 * as they are, anything further out is an error.
 */
export const OUTSIDE_TOLERANCE_PX = 1;

/** Whether the point (x, y) lies within the image, allowing `OUTSIDE_TOLERANCE_PX`. */
export function insideImage(x: number, y: number, width: number, height: number): boolean {
  const t = OUTSIDE_TOLERANCE_PX;
  return x >= -t && y >= -t && x <= width + t && y <= height + t;
}
