import type { Annotation, SpanAnnotation } from '../../../core/labels/annotation.ts';

/** A stretch `[start, end)` of the text covered by the same spans (innermost first). */
export interface SpanSegment {
  readonly start: number;
  readonly end: number;
  readonly spans: readonly SpanAnnotation[];
}

/** The span annotations among `annotations`, clamped to the text and with `start < end`. */
export function spansOf(annotations: readonly Annotation[], textLength: number): SpanAnnotation[] {
  return annotations.filter(
    (a): a is SpanAnnotation => a.kind === 'span' && Math.max(0, a.start) < Math.min(textLength, a.end),
  );
}

/**
 * Cuts the text at every span boundary, so overlapping and nested spans can be drawn with
 * plain inline elements. Each segment lists the spans covering it, shortest (innermost)
 * first: that one gives the segment its colour and is the one a click selects.
 */
export function spanSegments(textLength: number, spans: readonly SpanAnnotation[]): SpanSegment[] {
  const cuts = new Set<number>([0, textLength]);
  for (const span of spans) {
    cuts.add(Math.max(0, Math.min(textLength, span.start)));
    cuts.add(Math.max(0, Math.min(textLength, span.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: SpanSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const covering = spans
      .filter((s) => s.start <= start && s.end >= end)
      .sort((a, b) => a.end - a.start - (b.end - b.start));
    segments.push({ start, end, spans: covering });
  }
  return segments;
}
