import type { JsonObject } from '../../core/canonical-json.ts';

/** A category as written to a COCO file. */
export interface CocoCategoryOut {
  id: number;
  name: string;
  supercategory: string;
  keypoints?: string[];
  skeleton?: [number, number][];
}

/**
 * Numbers the categories of an export while its annotations stream out. A class keeps the
 * COCO id it was imported with (`attributes.categoryId`) when no other class holds it; a class
 * without one takes its 1-based place in the class list, or the next free id. One name always
 * gets one id, so every annotation of a class agrees, whatever order they come in.
 */
export class CocoCategoryIds {
  readonly #byName = new Map<string, CocoCategoryOut>();
  readonly #taken = new Set<number>();
  readonly #classes: readonly string[];

  constructor(classes: readonly string[]) {
    this.#classes = classes;
  }

  /** The id of class `name`, fixing it on first use (from `attributes` of that first annotation). */
  idFor(name: string, attributes: JsonObject | undefined): number {
    let category = this.#byName.get(name);
    if (!category) {
      const wanted = attributes?.categoryId;
      const id = Number.isSafeInteger(wanted) && (wanted as number) >= 0 && !this.#taken.has(wanted as number) ? (wanted as number) : this.#byClassOrder(name);
      const supercategory = typeof attributes?.supercategory === 'string' ? attributes.supercategory : '';
      category = { id, name, supercategory };
      this.#byName.set(name, category);
      this.#taken.add(id);
    }
    return category.id;
  }

  /** Records the keypoint names and skeleton of class `name` from a keypoints annotation (the first one that has them wins). */
  noteKeypoints(name: string, attributes: JsonObject | undefined): void {
    const category = this.#byName.get(name);
    if (!category || category.keypoints) return;
    const names = attributes?.keypointNames;
    const skeleton = attributes?.skeleton;
    category.keypoints = Array.isArray(names) && names.every((n) => typeof n === 'string') ? (names as string[]) : [];
    category.skeleton = Array.isArray(skeleton) ? (skeleton as [number, number][]) : [];
  }

  /** Every category, the classes never used included, by id. */
  table(): CocoCategoryOut[] {
    for (const name of this.#classes) this.idFor(name, undefined);
    return [...this.#byName.values()].sort((a, b) => a.id - b.id);
  }

  #byClassOrder(name: string): number {
    const place = this.#classes.indexOf(name) + 1;
    if (place > 0 && !this.#taken.has(place)) return place;
    let id = Math.max(0, ...this.#taken) + 1;
    while (this.#taken.has(id)) id++;
    return id;
  }
}
