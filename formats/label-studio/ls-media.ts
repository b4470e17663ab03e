import { basenameOf, joinSourcePath } from '../item-paths.ts';

/** The keys of a task's `data` that may name its media, in the order they are looked at. */
export const MEDIA_KEYS = ['image', 'text', 'audio', 'video', 'timeseries', 'ts', 'csv', 'url'];

/**
 * Where in the import the media a task names may be, most likely first. Label Studio writes
 * references as local-storage URLs (`/data/local-files/?d=images/a.jpg`), upload URLs
 * (`/data/upload/3/1a2b3c4d-a.jpg`, the name prefixed with 8 hex digits), cloud or web URLs
 * (`s3://bucket/images/a.jpg`, `https://host/images/a.jpg`), or plain relative paths (what
 * Sheaf writes). Candidates are the path the reference carries, then its file name (without
 * the upload prefix), then that name under `images/`; unsafe ones are left out.
 */
export function mediaCandidates(reference: string): string[] {
  const path = referencedPath(reference);
  const name = basenameOf(path).replace(/^[0-9a-f]{8}-/, '');
  const candidates: string[] = [];
  for (const parts of [[path], [basenameOf(path)], [name], ['images', name]]) {
    try {
      candidates.push(joinSourcePath(...parts));
    } catch {
      // An unsafe or empty candidate is simply not a place to look.
    }
  }
  return [...new Set(candidates)];
}

function referencedPath(reference: string): string {
  const local = /[?&]d=([^&]*)/.exec(reference);
  if (reference.includes('/data/local-files/') && local) return safeDecode(local[1]!);
  const url = /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/(.*)$/i.exec(reference);
  if (url) return safeDecode(url[1]!.replace(/[?#].*$/, ''));
  const upload = /^\/data\/upload\/\d+\/(.*)$/.exec(reference);
  if (upload) return safeDecode(upload[1]!);
  return reference;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The `data` key the writer uses for an item: text and series files by extension, images otherwise. */
export function mediaKeyOf(path: string): string {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  if (['txt', 'text', 'md', 'html', 'htm', 'json'].includes(extension)) return 'text';
  if (['csv', 'tsv'].includes(extension)) return 'timeseries';
  if (['wav', 'mp3', 'flac', 'ogg', 'm4a'].includes(extension)) return 'audio';
  return 'image';
}
