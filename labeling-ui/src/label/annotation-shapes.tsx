import { memo } from 'react';
import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { classColor } from '../annotations/class-colors.ts';
import { isPendingProposal, isRejected } from '../annotations/proposals.ts';
import { BOX_HANDLES, handlePoint } from './shape-geometry.ts';

export interface AnnotationShapesProps {
  readonly annotations: readonly Annotation[];
  readonly schema: LabelSchema;
  readonly selectedId: string | null;
  /** Screen pixels per image pixel: strokes, handles and labels keep their screen size. */
  readonly scale: number;
}

/**
 * The drawable annotations as SVG in image pixels: boxes, polygons, keypoints (with the
 * schema's skeleton). Model proposals awaiting a decision are dashed; rejected ones are not
 * drawn. The selected one shows its handles. Elements carry `data-annotation-id` (and
 * `data-handle` / `data-vertex`) for the canvas's pointer handling.
 */
export const AnnotationShapes = memo(function AnnotationShapes({ annotations, schema, selectedId, scale }: AnnotationShapesProps) {
  const stroke = 2 / scale;
  return (
    <g>
      {annotations.map((annotation) => {
        if (isRejected(annotation)) return null;
        const color = classColor(schema, annotation.label);
        const selected = annotation.id === selectedId;
        const common = {
          'data-annotation-id': annotation.id,
          'data-testid': `shape-${annotation.kind}`,
          stroke: color,
          strokeWidth: selected ? stroke * 1.75 : stroke,
          strokeDasharray: isPendingProposal(annotation) ? `${6 / scale} ${4 / scale}` : undefined,
          className: selected ? 'shape selected' : 'shape',
        };
        switch (annotation.kind) {
          case 'box': {
            const [x, y, w, h] = annotation.box;
            return (
              <g key={annotation.id}>
                <rect {...common} x={x} y={y} width={w} height={h} fill={color} fillOpacity={selected ? 0.18 : 0.08} />
                <Caption x={x} y={y} text={annotation.label} color={color} scale={scale} />
                {selected &&
                  BOX_HANDLES.map((handle) => {
                    const [hx, hy] = handlePoint(annotation.box, handle);
                    const r = 5 / scale;
                    return (
                      <rect
                        key={handle}
                        className={`handle handle-${handle}`}
                        data-annotation-id={annotation.id}
                        data-handle={handle}
                        x={hx - r}
                        y={hy - r}
                        width={2 * r}
                        height={2 * r}
                        stroke={color}
                        strokeWidth={stroke / 2}
                      />
                    );
                  })}
              </g>
            );
          }
          case 'polygon': {
            const [first] = annotation.points;
            return (
              <g key={annotation.id}>
                <polygon {...common} points={annotation.points.map((p) => p.join(',')).join(' ')} fill={color} fillOpacity={selected ? 0.18 : 0.08} />
                {first && <Caption x={first[0]} y={first[1]} text={annotation.label} color={color} scale={scale} />}
                {selected && annotation.points.map(([x, y], i) => <Vertex key={i} id={annotation.id} index={i} x={x} y={y} color={color} scale={scale} />)}
              </g>
            );
          }
          case 'keypoints': {
            const points = annotation.points;
            const edges = schema.keypoints?.skeleton ?? [];
            return (
              <g key={annotation.id} {...common} fill="none">
                {edges.map(([a, b]) => {
                  const p = points[a];
                  const q = points[b];
                  if (!p || !q || p[2] === 0 || q[2] === 0) return null;
                  return <line key={`${a}-${b}`} x1={p[0]} y1={p[1]} x2={q[0]} y2={q[1]} />;
                })}
                {points.map(([x, y, v], i) =>
                  v === 0 ? null : selected ? (
                    <Vertex key={i} id={annotation.id} index={i} x={x} y={y} color={color} scale={scale} hidden={v === 1} />
                  ) : (
                    <circle key={i} cx={x} cy={y} r={4 / scale} fill={v === 1 ? 'none' : color} />
                  ),
                )}
              </g>
            );
          }
          default:
            return null;
        }
      })}
    </g>
  );
});

function Vertex({ id, index, x, y, color, scale, hidden = false }: { id: string; index: number; x: number; y: number; color: string; scale: number; hidden?: boolean }) {
  return (
    <circle
      className="handle vertex"
      data-annotation-id={id}
      data-vertex={index}
      cx={x}
      cy={y}
      r={5 / scale}
      stroke={color}
      strokeWidth={1 / scale}
      fill={hidden ? 'white' : color}
    />
  );
}

function Caption({ x, y, text, color, scale }: { x: number; y: number; text: string; color: string; scale: number }) {
  return (
    <text className="caption" x={x} y={y - 4 / scale} fontSize={12 / scale} fill={color}>
      {text}
    </text>
  );
}
