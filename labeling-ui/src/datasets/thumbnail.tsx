import { useState } from 'react';
import { thumbnailUrl } from './dataset-api.ts';

/** Content the preview route cannot draw: asking for it would only earn a 415. */
const NOT_IMAGES = new Set(['txt', 'csv', 'tsv', 'json', 'jsonl', 'ndjson', 'md', 'xml', 'yaml', 'yml', 'wav', 'mp3', 'flac', 'ogg', 'mp4', 'pdf', 'npy', 'parquet']);

/**
 * A lazily loaded preview of a blob (loaded when scrolled near), or, for content that is not
 * an image (text, CSV…) or cannot be decoded, a tile naming the file's type.
 */
export function Thumbnail({ project, blob, path, size = 128 }: { project: string; blob: string; path: string; size?: number }) {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? null;
  const [failed, setFailed] = useState(extension !== null && NOT_IMAGES.has(extension));
  const box = { width: size, height: size };
  if (failed) {
    return (
      <div className="thumbnail thumbnail-none" style={box} title="No preview for this content">
        {extension ?? 'file'}
      </div>
    );
  }
  return (
    <img
      className="thumbnail"
      src={thumbnailUrl(project, blob)}
      alt={path}
      loading="lazy"
      decoding="async"
      style={{ ...box, objectFit: 'contain' }}
      onError={() => setFailed(true)}
    />
  );
}
