/** Performance entries the page leaves for benchmarks and browser tools to read. */
export const SUBMIT_MARK = 'sheaf:submit';
export const ITEM_SHOWN_MARK = 'sheaf:item-shown';
/** A measure from the labeler's submit (or skip) to the next item on screen. */
export const NEXT_ITEM_MEASURE = 'sheaf:next-item';

let submittedAt: number | null = null;

/** Notes the moment the labeler submitted or skipped. */
export function markSubmit(): void {
  submittedAt = performance.mark(SUBMIT_MARK).startTime;
}

/**
 * Notes that the item `path` is on screen: called once it is in the DOM, and marked after the
 * next frame is painted. When it follows a submit, the time between is measured as
 * `sheaf:next-item`.
 */
export function markItemShown(path: string): void {
  const since = submittedAt;
  submittedAt = null;
  requestAnimationFrame(() =>
    // rAF runs before the frame is painted; a task queued from it runs after.
    setTimeout(() => {
      const shown = performance.mark(ITEM_SHOWN_MARK, { detail: { path } });
      if (since !== null) performance.measure(NEXT_ITEM_MEASURE, { start: since, end: shown.startTime, detail: { path } });
    }, 0),
  );
}
