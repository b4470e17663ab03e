import type { JsonValue } from '../../core/canonical-json.ts';
import type { FormatErrorList } from '../format-errors.ts';
import { isJsonObject } from '../json-text.ts';

/** A COCO category as Sheaf keeps it. */
export interface CocoCategory {
  readonly id: number;
  readonly name: string;
  readonly supercategory: string;
  /** Keypoint names, in order (person: `nose`, `left_eye`, …); empty when the category has none. */
  readonly keypoints: readonly string[];
  /** Lines between keypoints, as COCO writes them (1-based index pairs in the official files). */
  readonly skeleton: readonly (readonly [number, number])[];
}

/**
 * The categories of all annotation files of one import. Files may repeat a category (train and
 * val usually share the table); they must agree: one id is one name, one name is one id,
 * otherwise annotations would silently change class.
 */
export class CocoCategoryTable {
  readonly #byId = new Map<number, CocoCategory>();
  readonly #idByName = new Map<string, number>();

  /** Adds the `categories` list of `file`, recording problems in `errors`. */
  addAll(file: string, categories: JsonValue | undefined, errors: FormatErrorList): void {
    if (!Array.isArray(categories)) {
      errors.add(file, 'has no "categories" list');
      return;
    }
    categories.forEach((raw, index) => {
      const entry = `categories[${index}]`;
      const category = parseCategory(raw);
      if (typeof category === 'string') return errors.add(file, category, { entry });
      const known = this.#byId.get(category.id);
      if (known) {
        if (known.name !== category.name) errors.add(file, `category id ${category.id} is "${category.name}" here and "${known.name}" elsewhere`, { entry });
        else if (JSON.stringify(known) !== JSON.stringify(category)) errors.add(file, `category id ${category.id} ("${category.name}") has other keypoints, skeleton or supercategory than elsewhere`, { entry });
        return;
      }
      const otherId = this.#idByName.get(category.name);
      if (otherId !== undefined) return errors.add(file, `category name "${category.name}" has two ids: ${otherId} and ${category.id}`, { entry });
      this.#byId.set(category.id, category);
      this.#idByName.set(category.name, category.id);
    });
  }

  get(id: unknown): CocoCategory | undefined {
    return typeof id === 'number' ? this.#byId.get(id) : undefined;
  }

  /** Class names in category id order. */
  classes(): string[] {
    return [...this.#byId.values()].sort((a, b) => a.id - b.id).map((category) => category.name);
  }
}

function parseCategory(raw: JsonValue): CocoCategory | string {
  if (!isJsonObject(raw)) return 'a category must be an object';
  const { id, name, supercategory, keypoints, skeleton } = raw;
  if (!Number.isSafeInteger(id) || (id as number) < 0) return 'category id must be a non-negative integer';
  if (typeof name !== 'string' || name.trim() === '') return `category id ${id} has no name`;
  if (supercategory !== undefined && supercategory !== null && typeof supercategory !== 'string') return `category "${name}" has a supercategory that is not a string`;
  if (keypoints !== undefined && !(Array.isArray(keypoints) && keypoints.every((k) => typeof k === 'string')))
    return `category "${name}" has keypoints that are not a list of names`;
  if (skeleton !== undefined && !(Array.isArray(skeleton) && skeleton.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(Number.isSafeInteger))))
    return `category "${name}" has a skeleton that is not a list of index pairs`;
  return {
    id: id as number,
    name,
    supercategory: supercategory ?? '',
    keypoints: (keypoints as string[] | undefined) ?? [],
    skeleton: (skeleton as [number, number][] | undefined) ?? [],
  };
}
