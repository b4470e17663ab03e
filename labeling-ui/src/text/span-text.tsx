import { forwardRef, type HTMLAttributes } from 'react';
import type { SpanAnnotation } from '../../../core/labels/annotation.ts';
import { withAlpha } from '../annotations/class-colors.ts';
import { spanSegments } from './span-segments.ts';

/** Props of {@link SpanText}. */
export interface SpanTextProps {
  readonly text: string;
  readonly spans: readonly SpanAnnotation[];
  /** The colour a span is drawn in (its class's, or in review its labeler's). */
  readonly colorOf: (span: SpanAnnotation) => string;
  readonly selectedId?: string | null;
  readonly testId?: string;
}

/**
 * The text with its spans highlighted: cut into segments at span boundaries, each coloured by
 * its innermost span; text covered by several spans gets one underline per extra span. The
 * element holds nothing but the text, so DOM offsets inside it are text offsets.
 */
export const SpanText = forwardRef<HTMLDivElement, SpanTextProps & HTMLAttributes<HTMLDivElement>>(function SpanText(
  { text, spans, colorOf, selectedId = null, testId, style, ...rest },
  ref,
) {
  const segments = spanSegments(text.length, spans);
  return (
    <div
      ref={ref}
      data-testid={testId}
      {...rest}
      style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', lineHeight: 1.9, fontFamily: 'inherit', ...style }}
    >
      {segments.map((segment) => {
        const piece = text.slice(segment.start, segment.end);
        const innermost = segment.spans[0];
        if (!innermost) return <span key={segment.start}>{piece}</span>;
        const selected = segment.spans.some((s) => s.id === selectedId);
        const extra = segment.spans.slice(1);
        return (
          <mark
            key={segment.start}
            data-span-ids={segment.spans.map((s) => s.id).join(' ')}
            title={segment.spans.map((s) => s.label).join(', ')}
            style={{
              background: withAlpha(colorOf(innermost), 0.35),
              color: 'inherit',
              borderRadius: 2,
              outline: selected ? `2px solid ${colorOf(segment.spans.find((s) => s.id === selectedId) ?? innermost)}` : undefined,
              boxShadow: extra.map((s, i) => `inset 0 -${2 * (i + 1)}px 0 ${colorOf(s)}`).join(', ') || undefined,
              cursor: 'pointer',
            }}
          >
            {piece}
          </mark>
        );
      })}
    </div>
  );
});
