/**
 * `path` with the extension of its last segment replaced by `extension` (which starts with a
 * dot), or added when the segment has none: `a/b.jpeg` → `a/b.png`, `a/b` → `a/b.png`. A
 * leading dot is not an extension (`a/.hidden` → `a/.hidden.png`).
 */
export function withExtension(path: string, extension: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return (dot > slash + 1 ? path.slice(0, dot) : path) + extension;
}
