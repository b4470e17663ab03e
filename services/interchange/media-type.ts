/** Media types of the files imports commonly carry, by lower-case extension. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

/**
 * The media type recorded for a new blob read from a file of an import, from the file's
 * extension; null when unknown (the catalog then says unknown rather than guessing).
 */
export function mediaTypeOfFile(path: string): string | null {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return null;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()] ?? null;
}
