/** Where an item goes in a WebDataset sample: the sample's key and the member's extension. */
export interface SampleMember {
  /** The path up to the first '.' of its last segment: `train/0001` for `train/0001.seg.png`. */
  readonly key: string;
  /** What follows that '.': `seg.png`; empty for a name without one. */
  readonly extension: string;
}

/**
 * Splits an item path the way WebDataset groups files into samples: at the first '.' of the
 * file name that is not its first character (so `.hidden` has no extension). `a/0001.jpg` and
 * `a/0001.txt` are members `jpg` and `txt` of sample `a/0001`.
 */
export function sampleMemberOf(path: string): SampleMember {
  const nameStart = path.lastIndexOf('/') + 1;
  const dot = path.indexOf('.', nameStart + 1);
  return dot < 0 ? { key: path, extension: '' } : { key: path.slice(0, dot), extension: path.slice(dot + 1) };
}
