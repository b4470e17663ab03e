import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { Annotation, RangeAnnotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { ClassButtons } from '../text/class-buttons.tsx';
import { classColor } from '../text/class-colors.ts';
import { nextAnnotationId } from '../text/next-annotation-id.ts';
import { parseSeriesCsv, SeriesCsvError, type ParsedSeries } from './parse-series-csv.ts';
import { nearestIndex } from './plot-scale.ts';
import { SeriesPlot } from './series-plot.tsx';

/** Props of {@link SeriesRangeLabeler}. */
export interface SeriesRangeLabelerProps {
  /** The item's content: a numeric CSV (see parseSeriesCsv). */
  readonly csv: string;
  readonly schema: LabelSchema;
  readonly annotations: readonly Annotation[];
  /** The class new ranges get; null: a drag marks nothing (a hint says to pick a class). */
  readonly activeClass: string | null;
  /** Called with the whole new annotation list after every edit. */
  readonly onChange: (next: Annotation[]) => void;
}

/**
 * Labels a time series. The CSV is plotted (first column x, the others series; one column:
 * x is the row index); dragging across the plot adds a range `[start, end]` of the active
 * class in x units, both ends snapped to the nearest sample's x (when the schema's tools
 * include `range`). Ranges are shaded in their class colour; a click selects one, Delete or
 * Backspace removes it, Escape deselects. With the `class` or `classes` tool the whole series
 * is classified by toggle buttons. A CSV that cannot be read is reported with its line and
 * the annotations are left untouched. New annotations get ids `a<n>` above the highest in use
 * and no `source`: the server stamps who made them.
 */
export function SeriesRangeLabeler({ csv, schema, annotations, activeClass, onChange }: SeriesRangeLabelerProps) {
  const parsed = useMemo((): ParsedSeries | SeriesCsvError => {
    try {
      return parseSeriesCsv(csv);
    } catch (error) {
      if (error instanceof SeriesCsvError) return error;
      throw error;
    }
  }, [csv]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  // Another item: what was selected (ids repeat between items) and the hint belong to the last one.
  useEffect(() => {
    setSelectedId(null);
    setHint(null);
  }, [csv]);
  const rangeTool = schema.tools.includes('range');
  const ranges = annotations.filter((a): a is RangeAnnotation => a.kind === 'range').sort((a, b) => a.start - b.start);
  const selected = ranges.find((r) => r.id === selectedId) ?? null;

  const remove = (id: string): void => {
    onChange(annotations.filter((a) => a.id !== id));
    if (id === selectedId) setSelectedId(null);
  };

  const onDrag = (data: ParsedSeries, from: number, to: number): void => {
    if (!rangeTool) return;
    if (activeClass === null) {
      setHint('Pick a class first, then drag across the plot.');
      return;
    }
    const start = data.x[nearestIndex(data.x, Math.min(from, to))]!;
    const end = data.x[nearestIndex(data.x, Math.max(from, to))]!;
    const range: RangeAnnotation = { id: nextAnnotationId(annotations), kind: 'range', label: activeClass, start, end };
    setHint(null);
    setSelectedId(range.id);
    onChange([...annotations, range]);
  };

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
    <div className="series-range-labeler" data-testid="series-range-labeler">
      <ClassButtons schema={schema} annotations={annotations} onChange={onChange} />
      {parsed instanceof SeriesCsvError ? (
        <p role="alert" data-testid="series-error">
          This series cannot be plotted: {parsed.message}
        </p>
      ) : (
        <div
          tabIndex={0}
          aria-label="Time series to label"
          onKeyDown={onKeyDown}
          onPointerDown={(event) => event.currentTarget.focus({ preventScroll: true })}
          style={{ border: '1px solid #ccc', borderRadius: 4, padding: 4 }}
        >
          <SeriesPlot
            testId="series-plot"
            data={parsed}
            ranges={ranges.map((r) => ({ id: r.id, start: r.start, end: r.end, label: r.label, color: classColor(schema, r.label), selected: r.id === selectedId }))}
            input={{ onDrag: (from, to) => onDrag(parsed, from, to), onPick: setSelectedId }}
          />
        </div>
      )}
      <p role="status" aria-live="polite" style={{ minHeight: '1.5em', margin: '4px 0', color: '#a15c00' }}>
        {parsed instanceof SeriesCsvError ? '' : (hint ?? (rangeTool && activeClass ? `Drag across the plot to mark a range as ${activeClass}.` : ''))}
      </p>
      {ranges.length > 0 && (
        <ul aria-label="Ranges" data-testid="range-list" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {ranges.map((r) => (
            <li
              key={r.id}
              data-testid="range-item"
              data-range-id={r.id}
              aria-selected={r.id === selectedId}
              style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '2px 4px', background: r.id === selectedId ? '#eef' : undefined }}
            >
              <span style={{ width: 10, height: 10, borderRadius: 2, background: classColor(schema, r.label), flex: 'none' }} />
              <button type="button" onClick={() => setSelectedId(r.id)} style={{ background: 'none', border: 'none', padding: 0, font: 'inherit', textAlign: 'left', cursor: 'pointer' }}>
                <strong>{r.label}</strong> [{r.start}, {r.end}]
              </button>
              <button type="button" aria-label={`Delete range ${r.label} ${r.start}-${r.end}`} onClick={() => remove(r.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
