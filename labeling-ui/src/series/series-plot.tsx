import { useMemo, useState, type PointerEvent } from 'react';
import { withAlpha } from '../annotations/class-colors.ts';
import type { ParsedSeries } from './parse-series-csv.ts';
import { extent, linearScale, niceTicks } from './plot-scale.ts';
import { seriesPath } from './series-path.ts';
import { useWidth } from './use-width.ts';

/** A shaded x range on the plot. */
export interface PlotRange {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly color: string;
  readonly label: string;
  /** Which band it is drawn in, from 0, when the plot has several lanes (review: one per labeler). */
  readonly lane?: number;
  readonly selected?: boolean;
}

/** What a plot that takes input reports, in x units. */
export interface PlotInput {
  /** A drag from `from` to `to` (either order) ended. */
  readonly onDrag: (from: number, to: number) => void;
  /** A click: the innermost range under the pointer, or null. */
  readonly onPick: (rangeId: string | null) => void;
}

/** Props of {@link SeriesPlot}. */
export interface SeriesPlotProps {
  readonly data: ParsedSeries;
  readonly ranges: readonly PlotRange[];
  /** Bands the height is split into for ranges; 1 (default) shades the full height. */
  readonly lanes?: number;
  readonly height?: number;
  readonly input?: PlotInput;
  readonly testId?: string;
}

const LINE_COLORS = ['#1f4e79', '#444444', '#7a3e9d', '#2e7d32', '#8d6e63', '#00838f'];
const MARGIN = { left: 56, right: 12, top: 10, bottom: 28 };
/** Shorter moves count as clicks, not drags. */
const DRAG_THRESHOLD_PX = 3;

/**
 * An SVG line plot of the series against x, with shaded ranges and, when `input` is given,
 * range dragging and picking with the mouse (pointer capture keeps a drag that leaves the plot).
 */
export function SeriesPlot({ data, ranges, lanes = 1, height = 260, input, testId }: SeriesPlotProps) {
  const [wrapper, width] = useWidth<HTMLDivElement>(800);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const plotLeft = MARGIN.left;
  const plotRight = Math.max(plotLeft + 10, width - MARGIN.right);
  const plotTop = MARGIN.top;
  const plotBottom = height - MARGIN.bottom;
  const sx = linearScale(extent(data.x), [plotLeft, plotRight]);
  const [yLo, yHi] = extent(data.series.flatMap((s) => [...extent(s.values)]));
  const pad = (yHi - yLo) * 0.05 || 0.5;
  const sy = linearScale([yLo - pad, yHi + pad], [plotBottom, plotTop]);
  const laneHeight = (plotBottom - plotTop) / Math.max(1, lanes);
  // Paths only change with the data and the size (sx and sy follow from them), not on every
  // pointer move of a drag.
  const paths = useMemo(
    () => data.series.map((s) => seriesPath(data.x, s.values, sx, sy)),
    [data, width, height],
  );

  const localX = (event: PointerEvent<SVGRectElement>): number => {
    const box = event.currentTarget.ownerSVGElement!.getBoundingClientRect();
    return Math.min(plotRight, Math.max(plotLeft, event.clientX - box.left));
  };
  const onPointerDown = (event: PointerEvent<SVGRectElement>): void => {
    if (!input || event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const at = localX(event);
    setDrag({ from: at, to: at });
  };
  const onPointerMove = (event: PointerEvent<SVGRectElement>): void => {
    if (drag) setDrag({ from: drag.from, to: localX(event) });
  };
  const onPointerUp = (event: PointerEvent<SVGRectElement>): void => {
    if (!input || !drag) return;
    const to = localX(event);
    setDrag(null);
    if (Math.abs(to - drag.from) >= DRAG_THRESHOLD_PX) {
      input.onDrag(sx.invert(drag.from), sx.invert(to));
      return;
    }
    const lo = (r: PlotRange): number => Math.min(r.start, r.end);
    const hi = (r: PlotRange): number => Math.max(r.start, r.end);
    const hits = ranges.filter((r) => sx(lo(r)) - DRAG_THRESHOLD_PX <= to && to <= sx(hi(r)) + DRAG_THRESHOLD_PX);
    hits.sort((a, b) => hi(a) - lo(a) - (hi(b) - lo(b)));
    input.onPick(hits[0]?.id ?? null);
  };

  return (
    <div ref={wrapper} style={{ width: '100%' }}>
      <svg data-testid={testId} width={width} height={height} role="img" aria-label={`Plot of ${data.series.map((s) => s.name).join(', ')} against ${data.xName}`} style={{ display: 'block', userSelect: 'none' }}>
        {ranges.map((r) => {
          const x0 = sx(Math.min(r.start, r.end));
          const x1 = sx(Math.max(r.start, r.end));
          const lane = Math.min(Math.max(0, r.lane ?? 0), Math.max(1, lanes) - 1);
          return (
            <g key={`${r.lane ?? 0}:${r.id}`} data-range-id={r.id}>
              <rect
                x={x0}
                y={plotTop + lane * laneHeight}
                width={Math.max(2, x1 - x0)}
                height={laneHeight}
                fill={withAlpha(r.color, 0.25)}
                stroke={r.selected ? r.color : 'none'}
                strokeWidth={2}
              />
              <text x={x0 + 3} y={plotTop + lane * laneHeight + 12} fontSize={11} fill={r.color}>
                {r.label}
              </text>
            </g>
          );
        })}
        {niceTicks(sy.domain[0], sy.domain[1], 5).map((t) => (
          <g key={`y${t}`}>
            <line x1={plotLeft} x2={plotRight} y1={sy(t)} y2={sy(t)} stroke="#e4e4e4" />
            <text x={plotLeft - 6} y={sy(t) + 4} fontSize={11} textAnchor="end" fill="#555">
              {formatTick(t)}
            </text>
          </g>
        ))}
        {niceTicks(sx.domain[0], sx.domain[1], Math.max(2, Math.floor((plotRight - plotLeft) / 90))).map((t) => (
          <g key={`x${t}`}>
            <line x1={sx(t)} x2={sx(t)} y1={plotBottom} y2={plotBottom + 4} stroke="#555" />
            <text x={sx(t)} y={plotBottom + 17} fontSize={11} textAnchor="middle" fill="#555">
              {formatTick(t)}
            </text>
          </g>
        ))}
        <line x1={plotLeft} x2={plotRight} y1={plotBottom} y2={plotBottom} stroke="#555" />
        {data.series.map((s, i) => (
          <path key={s.name + i} d={paths[i]} fill="none" stroke={LINE_COLORS[i % LINE_COLORS.length]} strokeWidth={1.25} />
        ))}
        {drag && (
          <rect x={Math.min(drag.from, drag.to)} y={plotTop} width={Math.abs(drag.to - drag.from)} height={plotBottom - plotTop} fill="rgba(0,0,0,0.12)" pointerEvents="none" />
        )}
        {input && (
          <rect
            data-testid={testId ? `${testId}-input` : undefined}
            x={plotLeft}
            y={plotTop}
            width={plotRight - plotLeft}
            height={plotBottom - plotTop}
            fill="transparent"
            style={{ cursor: 'crosshair' }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={() => setDrag(null)}
          />
        )}
      </svg>
      {data.series.length > 1 && (
        <div aria-label="Series" style={{ display: 'flex', gap: 12, fontSize: 12 }}>
          {data.series.map((s, i) => (
            <span key={s.name + i}>
              <span style={{ display: 'inline-block', width: 14, height: 3, verticalAlign: 'middle', background: LINE_COLORS[i % LINE_COLORS.length] }} /> {s.name}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

function formatTick(value: number): string {
  return Math.abs(value) >= 1e5 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(1) : String(Number(value.toPrecision(6)));
}
