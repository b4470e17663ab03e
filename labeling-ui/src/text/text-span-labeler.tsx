import { useEffect, useRef } from 'react';
import type { SpanAnnotation } from '../../../core/labels/annotation.ts';
import { AnnotationRows } from '../annotations/annotation-rows.tsx';
import { ClassButtons } from '../annotations/class-buttons.tsx';
import { classColor } from '../annotations/class-colors.ts';
import type { LabelerProps } from '../annotations/labeler-props.ts';
import { nextAnnotationId } from '../annotations/next-annotation-id.ts';
import { useAnnotationSelection } from '../annotations/use-annotation-selection.ts';
import { selectionOffsets } from './selection-offsets.ts';
import { spansOf } from './span-segments.ts';
import { SpanText } from './span-text.tsx';

/** Props of {@link TextSpanLabeler}. */
export interface TextSpanLabelerProps extends LabelerProps {
  /** The item's text, exactly as stored: span offsets index into it. */
  readonly text: string;
}

/**
 * Labels a text item. Selecting text with the mouse adds a span `[start, end)` of the active
 * class, in UTF-16 offsets as the browser counts them (when the schema's tools include
 * `span`); spans are highlighted in their class colour; a click on a span selects it and
 * Delete or Backspace removes it (Escape deselects). With the `class` or `classes` tool the
 * whole text is classified by toggle buttons. New annotations get ids `a<n>` above the highest
 * in use and no `source`: the server stamps who made them.
 */
export function TextSpanLabeler({ text, schema, annotations, editor, activeClass, onChange }: TextSpanLabelerProps) {
  const textRef = useRef<HTMLDivElement>(null);
  const selection = useAnnotationSelection(text, annotations, onChange);
  const { selectedId, select, hint, setHint, add, onKeyDown } = selection;
  const spanTool = schema.tools.includes('span');
  const spans = spansOf(annotations, text.length).sort((a, b) => a.start - b.start || b.end - a.end);

  // A selection that starts in the text may end outside it: the release is caught on the
  // window, and the part of the selection inside the text is kept.
  const pressed = useRef(false);
  const onRelease = (target: EventTarget | null): void => {
    const container = textRef.current;
    if (!container) return;
    const textSelection = window.getSelection();
    const range = selectionOffsets(container, textSelection);
    if (range === null) {
      // A plain click: select the innermost span under the pointer, or nothing.
      const hit = target instanceof Element ? target.closest('[data-span-ids]') : null;
      select(hit && container.contains(hit) ? (hit.getAttribute('data-span-ids')?.split(' ')[0] ?? null) : null);
      container.focus({ preventScroll: true });
      return;
    }
    if (!spanTool) return;
    if (activeClass === null) {
      setHint('Pick a class first, then select the text to mark.');
      return;
    }
    const span: SpanAnnotation = { id: nextAnnotationId(annotations), kind: 'span', label: activeClass, start: range.start, end: range.end };
    textSelection?.removeAllRanges();
    add(span);
    container.focus({ preventScroll: true });
  };
  const release = useRef(onRelease);
  release.current = onRelease;
  useEffect(() => {
    const onMouseUp = (event: MouseEvent): void => {
      if (!pressed.current || event.button !== 0) return;
      pressed.current = false;
      release.current(event.target);
    };
    window.addEventListener('mouseup', onMouseUp);
    return () => window.removeEventListener('mouseup', onMouseUp);
  }, []);

  return (
    <div className="text-span-labeler" data-testid="text-span-labeler">
      <ClassButtons schema={schema} annotations={annotations} editor={editor} onChange={onChange} />
      <SpanText
        ref={textRef}
        testId="text-content"
        text={text}
        spans={spans}
        colorOf={(s) => classColor(schema, s.label)}
        selectedId={selectedId}
        tabIndex={0}
        aria-label="Text to label"
        onMouseDown={(event) => {
          if (event.button === 0) pressed.current = true;
        }}
        onKeyDown={onKeyDown}
        style={{ padding: 12, border: '1px solid #ccc', borderRadius: 4, maxHeight: '60vh', overflowY: 'auto', userSelect: 'text' }}
      />
      <p role="status" aria-live="polite" style={{ minHeight: '1.5em', margin: '4px 0', color: '#a15c00' }}>
        {hint ?? (spanTool && activeClass ? `Select text to mark it as ${activeClass}.` : '')}
      </p>
      <AnnotationRows
        name="Spans"
        testId="span"
        annotations={spans}
        schema={schema}
        selection={selection}
        describe={(s) => (
          <>
            <strong>{s.label}</strong> “{text.slice(s.start, s.end)}” <small>[{s.start}, {s.end})</small>
          </>
        )}
        deleteLabel={(s) => `Delete span ${s.label} ${s.start}-${s.end}`}
      />
    </div>
  );
}
