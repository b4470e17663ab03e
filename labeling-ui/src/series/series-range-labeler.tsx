import { useMemo } from 'react';
import type { RangeAnnotation } from '../../../core/labels/annotation.ts';
import { AnnotationRows } from '../annotations/annotation-rows.tsx';
import { ClassButtons } from '../annotations/class-buttons.tsx';
import { classColor } from '../annotations/class-colors.ts';
import type { LabelerProps } from '../annotations/labeler-props.ts';
import { nextAnnotationId } from '../annotations/next-annotation-id.ts';
import { useAnnotationSelection } from '../annotations/use-annotation-selection.ts';
import { parseSeriesCsv, SeriesCsvError, type ParsedSeries } from './parse-series-csv.ts';
import { nearestIndex } from './plot-scale.ts';
import { SeriesPlot } from './series-plot.tsx';

/** Props of {@link SeriesRangeLabeler}. */
export interface SeriesRangeLabelerProps extends LabelerProps {
  /** The item's content: a numeric CSV (see parseSeriesCsv). */
  readonly csv: string;
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
export function SeriesRangeLabeler({ csv, schema, annotations, editor, activeClass, onChange }: SeriesRangeLabelerProps) {
  const parsed = useMemo((): ParsedSeries | SeriesCsvError => {
    try {
      return parseSeriesCsv(csv);
    } catch (error) {
      if (error instanceof SeriesCsvError) return error;
      throw error;
    }
  }, [csv]);
  const selection = useAnnotationSelection(csv, annotations, onChange);
  const { selectedId, select, hint, setHint, add, onKeyDown } = selection;
  const rangeTool = schema.tools.includes('range');
  const ranges = annotations.filter((a): a is RangeAnnotation => a.kind === 'range').sort((a, b) => a.start - b.start);

  const onDrag = (data: ParsedSeries, from: number, to: number): void => {
    if (!rangeTool) return;
    if (activeClass === null) {
      setHint('Pick a class first, then drag across the plot.');
      return;
    }
    const start = data.x[nearestIndex(data.x, Math.min(from, to))]!;
    const end = data.x[nearestIndex(data.x, Math.max(from, to))]!;
    const range: RangeAnnotation = { id: nextAnnotationId(annotations), kind: 'range', label: activeClass, start, end };
    add(range);
  };

  return (
    <div className="series-range-labeler" data-testid="series-range-labeler">
      <ClassButtons schema={schema} annotations={annotations} editor={editor} onChange={onChange} />
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
            input={{ onDrag: (from, to) => onDrag(parsed, from, to), onPick: select }}
          />
        </div>
      )}
      <p role="status" aria-live="polite" style={{ minHeight: '1.5em', margin: '4px 0', color: '#a15c00' }}>
        {parsed instanceof SeriesCsvError ? '' : (hint ?? (rangeTool && activeClass ? `Drag across the plot to mark a range as ${activeClass}.` : ''))}
      </p>
      <AnnotationRows
        name="Ranges"
        testId="range"
        annotations={ranges}
        schema={schema}
        selection={selection}
        describe={(r) => (
          <>
            <strong>{r.label}</strong> [{r.start}, {r.end}]
          </>
        )}
        deleteLabel={(r) => `Delete range ${r.label} ${r.start}-${r.end}`}
      />
    </div>
  );
}
