import { comparePaths } from '../item-path.ts';
import type { Entry } from './tree-node.ts';

/** Put (`entry`) or delete (`entry: null`) of one key on one tree level. */
export interface Edit<E extends Entry = Entry> {
  readonly key: string;
  readonly entry: E | null;
}

/**
 * A sorted stream of edits read in pages, with a synchronous `peek` while a page lasts, so the
 * merge loop does not pay an `await` per entry. Enforces strictly increasing keys: an
 * out-of-order source would silently build a wrong tree.
 */
export class EditSource<E extends Entry = Entry> {
  private page: readonly Edit<E>[] = [];
  private index = 0;
  /** Counts pages loaded, so callers can notice a new page (e.g. to prefetch for it). */
  pagesLoaded = 0;
  private lastKey: string | undefined;
  private readonly pages: AsyncIterator<readonly Edit<E>[]> | Iterator<readonly Edit<E>[]>;

  constructor(pages: AsyncIterable<readonly Edit<E>[]> | Iterable<readonly Edit<E>[]>) {
    this.pages = Symbol.asyncIterator in pages ? pages[Symbol.asyncIterator]() : pages[Symbol.iterator]();
  }

  static of<E extends Entry>(edits: readonly Edit<E>[]): EditSource<E> {
    return new EditSource<E>([edits]);
  }

  /** The next edit without consuming it, or undefined when the page is used up (call `fill`). */
  peek(): Edit<E> | undefined {
    return this.page[this.index];
  }

  /** Loads the next non-empty page; returns false at the end of the stream. */
  async fill(): Promise<boolean> {
    while (this.index >= this.page.length) {
      const next = await this.pages.next();
      if (next.done) return false;
      this.page = next.value;
      this.index = 0;
      this.pagesLoaded++;
    }
    return true;
  }

  /** Next edit, loading pages as needed; undefined at the end. */
  async peekAsync(): Promise<Edit<E> | undefined> {
    return this.peek() ?? ((await this.fill()) ? this.peek() : undefined);
  }

  /** Keys of the edits left in the current page. */
  pageKeys(): string[] {
    return this.page.slice(this.index).map((edit) => edit.key);
  }

  /** Consumes the edit last returned by peek. */
  shift(): Edit<E> {
    const edit = this.page[this.index++]!;
    if (this.lastKey !== undefined && comparePaths(this.lastKey, edit.key) >= 0)
      throw new Error(`edits out of order: ${JSON.stringify(edit.key)} after ${JSON.stringify(this.lastKey)}`);
    this.lastKey = edit.key;
    return edit;
  }
}
