/**
 * The part of the page's selection inside `container`, as `[start, end)` offsets into the
 * container's text in UTF-16 code units — what the DOM counts in, and what span annotations
 * store. Null when nothing is selected there. A selection reaching beyond the container is
 * cut at its edges. The container must hold only the text (no labels or buttons), so its text
 * content and the labeled text are the same string.
 */
export function selectionOffsets(container: Node, selection: Selection | null): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const whole = document.createRange();
  whole.selectNodeContents(container);
  const textLength = whole.toString().length;
  const startSide = whole.comparePoint(range.startContainer, range.startOffset);
  const endSide = whole.comparePoint(range.endContainer, range.endOffset);
  if (startSide > 0 || endSide < 0) return null; // entirely after or before the container
  const start = startSide < 0 ? 0 : offsetOf(container, range.startContainer, range.startOffset);
  const end = endSide > 0 ? textLength : offsetOf(container, range.endContainer, range.endOffset);
  return start < end ? { start, end } : null;
}

/** Text length from the start of `container` to the boundary point (node, offset). */
function offsetOf(container: Node, node: Node, offset: number): number {
  const before = document.createRange();
  before.selectNodeContents(container);
  before.setEnd(node, offset);
  return before.toString().length;
}
