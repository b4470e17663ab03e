import { CoreError } from '../core/errors.ts';
import type { FormatError } from './format.ts';

/** Errors listed in full per read; past this, one closing entry counts the rest (a broken 100k-line file must not fill memory). */
export const MAX_FORMAT_ERRORS = 1000;

/** Where in a file a problem is: a 1-based line, an entry such as `annotations[12]`, or both. */
export interface ErrorPlace {
  readonly line?: number;
  readonly entry?: string;
}

/**
 * Collects the problems a reader finds, so that one read reports all of them (up to
 * `MAX_FORMAT_ERRORS`, then how many more) instead of stopping at the first.
 */
export class FormatErrorList {
  readonly #errors: FormatError[] = [];
  #dropped = 0;
  #lastFile = '';

  /** Records a problem in `file`. */
  add(file: string, message: string, place: ErrorPlace = {}): void {
    this.#lastFile = file;
    if (this.#errors.length >= MAX_FORMAT_ERRORS) {
      this.#dropped++;
      return;
    }
    this.#errors.push({ file, ...(place.line !== undefined && { line: place.line }), ...(place.entry !== undefined && { entry: place.entry }), message });
  }

  /** Records `error` (a typed error thrown by a path or value check) as a problem in `file`. */
  addThrown(file: string, error: unknown, place: ErrorPlace = {}): void {
    if (!(error instanceof CoreError)) throw error;
    this.add(file, error.message, place);
  }

  get size(): number {
    return this.#errors.length + this.#dropped;
  }

  /** The problems in the order found, with a last entry counting those not listed. */
  toArray(): FormatError[] {
    if (this.#dropped === 0) return [...this.#errors];
    return [...this.#errors, { file: this.#lastFile, message: `${this.#dropped} more error(s) not listed` }];
  }
}
