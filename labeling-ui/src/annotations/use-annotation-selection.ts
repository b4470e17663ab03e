import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Annotation } from '../../../core/labels/annotation.ts';

/** What {@link useAnnotationSelection} gives a labeler. */
export interface AnnotationSelection {
  /** The selected annotation's id, or null. */
  readonly selectedId: string | null;
  readonly select: (id: string | null) => void;
  /** A line telling the labeler why a gesture marked nothing, or null. */
  readonly hint: string | null;
  readonly setHint: (hint: string | null) => void;
  /** Appends a new annotation, selects it and clears the hint. */
  readonly add: (annotation: Annotation) => void;
  /** Removes an annotation (deselecting it when it was selected). */
  readonly remove: (id: string) => void;
  /** Delete or Backspace removes the selected annotation; Escape deselects it. */
  readonly onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
}

/**
 * The selection and hint of a labeler that marks parts of one item (text spans, series
 * ranges). Both start over when `item` changes: ids repeat between items, and a hint speaks
 * of the item it was given for. Edits go out through `onChange` with the whole new list.
 */
export function useAnnotationSelection(item: unknown, annotations: readonly Annotation[], onChange: (next: Annotation[]) => void): AnnotationSelection {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  useEffect(() => {
    setSelectedId(null);
    setHint(null);
  }, [item]);

  const add = (annotation: Annotation): void => {
    setHint(null);
    setSelectedId(annotation.id);
    onChange([...annotations, annotation]);
  };
  const remove = (id: string): void => {
    onChange(annotations.filter((a) => a.id !== id));
    if (id === selectedId) setSelectedId(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (selectedId === null || !annotations.some((a) => a.id === selectedId)) return;
    if (event.key === 'Delete' || event.key === 'Backspace') {
      // Handled here: the workspace's own Delete key and the browser's Back must not act too.
      event.preventDefault();
      event.stopPropagation();
      remove(selectedId);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      setSelectedId(null);
    }
  };
  return { selectedId, select: setSelectedId, hint, setHint, add, remove, onKeyDown };
}
