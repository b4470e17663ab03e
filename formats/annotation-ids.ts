/**
 * Ids for imported annotations: `a1`, `a2`, … in the order the format's files give them,
 * counted per item. The same files always give the same ids, so importing them twice gives
 * the same items and the same snapshot hash.
 */
export interface AnnotationIds {
  /** The next id of this item. */
  next(): string;
}

/** A fresh counter for one item's annotations. */
export function annotationIds(): AnnotationIds {
  let count = 0;
  return { next: () => `a${++count}` };
}

/** Per-item counters, for formats whose annotations of one item are spread over a file. */
export class AnnotationIdsByItem {
  readonly #counters = new Map<string, AnnotationIds>();

  /** The next id of the item at `path`. */
  next(path: string): string {
    let ids = this.#counters.get(path);
    if (!ids) this.#counters.set(path, (ids = annotationIds()));
    return ids.next();
  }
}
