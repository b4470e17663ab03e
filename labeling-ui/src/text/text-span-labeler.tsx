import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Annotation, SpanAnnotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { ClassButtons } from './class-buttons.tsx';
import { classColor } from './class-colors.ts';
import { nextAnnotationId } from './next-annotation-id.ts';
import { selectionOffsets } from './selection-offsets.ts';
import { spansOf } from './span-segments.ts';
import { SpanText } from './span-text.tsx';

/** Props of {@link TextSpanLabeler}. */
export interface TextSpanLabelerProps {
  /** The item's text, exactly as stored: span offsets index into it. */
  readonly text: string;
  readonly schema: LabelSchema;
  readonly annotations: readonly Annotation[];
  /** The class new spans get; null: selecting text marks nothing (a hint says to pick a class). */
  readonly activeClass: string | null;
  /** Called with the whole new annotation list after every edit. */
  readonly onChange: (next: Annotation[]) => void;
}

/**
 * Labels a text item. Selecting text with the mouse adds a span `[start, end)` of the active
 * class, in UTF-16 offsets as the browser counts them (when the schema's tools include
 * `span`); spans are highlighted in their class colour; a click on a span selects it and
 * Delete or Backspace removes it (Escape deselects). With the `class` or `classes` tool the
 * whole text is classified by toggle buttons. New annotations get ids `a<n>` above the highest
 * in use and no `source`: the server stamps who made them.
 */
export function TextSpanLabeler({ text, schema, annotations, activeClass, onChange }: TextSpanLabelerProps) {
  const textRef = useRef<HTMLDivElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  // Another item: what was selected (ids repeat between items) and the hint belong to the last one.
  useEffect(() => {
    setSelectedId(null);
    setHint(null);
  }, [text]);
  const spanTool = schema.tools.includes('span');
  const spans = spansOf(annotations, text.length).sort((a, b) => a.start - b.start || b.end - a.end);
  const selected = spans.find((s) => s.id === selectedId) ?? null;

  const remove = (id: string): void => {
    onChange(annotations.filter((a) => a.id !== id));
    if (id === selectedId) setSelectedId(null);
  };

  // A selection that starts in the text may end outside it: the release is caught on the
  // window, and the part of the selection inside the text is kept.
  const pressed = useRef(false);
  const onRelease = (target: EventTarget | null): void => {
    const container = textRef.current;
    if (!container) return;
    const selection = window.getSelection();
    const range = selectionOffsets(container, selection);
    if (range === null) {
      // A plain click: select the innermost span under the pointer, or nothing.
      const hit = target instanceof Element ? target.closest('[data-span-ids]') : null;
      setSelectedId(hit && container.contains(hit) ? (hit.getAttribute('data-span-ids')?.split(' ')[0] ?? null) : null);
      container.focus({ preventScroll: true });
      return;
    }
    if (!spanTool) return;
    if (activeClass === null) {
      setHint('Pick a class first, then select the text to mark.');
      return;
    }
    const span: SpanAnnotation = { id: nextAnnotationId(annotations), kind: 'span', label: activeClass, start: range.start, end: range.end };
    selection?.removeAllRanges();
    setHint(null);
    setSelectedId(span.id);
    onChange([...annotations, span]);
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

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if ((event.key === 'Delete' || event.key === 'Backspace') && selected) {
      event.preventDefault();
      event.stopPropagation();
      remove(selected.id);
    } else if (event.key === 'Escape' && selected) {
      event.stopPropagation();
      setSelectedId(null);
    }
  };

  return (
    <div className="text-span-labeler" data-testid="text-span-labeler">
      <ClassButtons schema={schema} annotations={annotations} onChange={onChange} />
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
      {spans.length > 0 && (
        <ul aria-label="Spans" data-testid="span-list" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {spans.map((s) => (
            <li
              key={s.id}
              data-testid="span-item"
              data-span-id={s.id}
              aria-selected={s.id === selectedId}
              style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '2px 4px', background: s.id === selectedId ? '#eef' : undefined }}
            >
              <span style={{ width: 10, height: 10, borderRadius: 2, background: classColor(schema, s.label), flex: 'none' }} />
              <button type="button" onClick={() => setSelectedId(s.id)} style={{ background: 'none', border: 'none', padding: 0, font: 'inherit', textAlign: 'left', cursor: 'pointer' }}>
                <strong>{s.label}</strong> “{text.slice(s.start, s.end)}” <small>[{s.start}, {s.end})</small>
              </button>
              <button type="button" aria-label={`Delete span ${s.label} ${s.start}-${s.end}`} onClick={() => remove(s.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
