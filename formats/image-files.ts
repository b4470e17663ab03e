/** Extensions of the image files the label formats look for (lower case, without the dot). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'jpeg', 'png', 'bmp', 'webp', 'tif', 'tiff', 'gif']);

/** Whether `path` names an image file by its extension (case-insensitive). */
export function isImageFile(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 && IMAGE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}
