import type { Annotation } from '../../../core/labels/annotation.ts';
import type { Size } from './original-size.ts';
import { isRejected } from '../annotations/proposals.ts';

/** Props of {@link AnnotationShapes}. */
export interface AnnotationShapesProps {
  readonly annotations: readonly Annotation[];
  readonly color: string;
  /** The image's size in the annotations' pixels: sets the size of labels and points. */
  readonly size: Size;
  /** Lines between keypoints, as index pairs (the schema's skeleton). */
  readonly skeleton?: readonly (readonly [number, number])[];
  readonly testId?: string;
}

/**
 * The image annotations of one submission as SVG in the image's pixel space: boxes, polygons
 * and keypoints (with the skeleton) outlined in one colour, each tagged with its class; model
 * proposals dashed, those the labeler rejected left out (as in the labeling view). Strokes keep their screen width whatever the zoom. Masks, spans, ranges
 * and whole-item classes are shown elsewhere.
 */
export function AnnotationShapes({ annotations, color, size, skeleton = [], testId }: AnnotationShapesProps) {
  const unit = Math.max(size.width, size.height) / 100;
  const font = Math.max(8, unit * 1.8);
  const stroke = { stroke: color, strokeWidth: 2, vectorEffect: 'non-scaling-stroke' as const, fill: 'none' };
  const tag = (x: number, y: number, text: string) => (
    <text x={x} y={Math.max(font, y - unit * 0.4)} fontSize={font} fill={color} stroke="#fff" strokeWidth={font / 8} paintOrder="stroke">
      {text}
    </text>
  );
  return (
    <g data-testid={testId}>
      {annotations.filter((a) => !isRejected(a)).map((a) => {
        const dash = a.source?.type === 'model' ? '6 4' : undefined;
        switch (a.kind) {
          case 'box': {
            const [x, y, w, h] = a.box;
            return (
              <g key={a.id} data-annotation-id={a.id} data-kind="box">
                <rect x={x} y={y} width={w} height={h} {...stroke} strokeDasharray={dash} />
                {tag(x, y, a.label)}
              </g>
            );
          }
          case 'polygon': {
            const first = a.points[0];
            return (
              <g key={a.id} data-annotation-id={a.id} data-kind="polygon">
                <polygon points={a.points.map(([x, y]) => `${x},${y}`).join(' ')} {...stroke} fill={`${color}22`} strokeDasharray={dash} />
                {first && tag(first[0], first[1], a.label)}
              </g>
            );
          }
          case 'keypoints': {
            const visible = a.points.map(([x, y, v]) => (v > 0 ? ([x, y] as const) : null));
            const anchor = visible.find((p) => p !== null);
            return (
              <g key={a.id} data-annotation-id={a.id} data-kind="keypoints">
                {a.box && <rect x={a.box[0]} y={a.box[1]} width={a.box[2]} height={a.box[3]} {...stroke} strokeDasharray="2 3" />}
                {skeleton.map(([i, j]) => {
                  const p = visible[i];
                  const q = visible[j];
                  return p && q ? <line key={`${i}-${j}`} x1={p[0]} y1={p[1]} x2={q[0]} y2={q[1]} {...stroke} strokeDasharray={dash} /> : null;
                })}
                {a.points.map(([x, y, v], i) =>
                  v > 0 ? <circle key={i} cx={x} cy={y} r={unit * 0.6} fill={v === 2 ? color : '#fff'} stroke={color} vectorEffect="non-scaling-stroke" /> : null,
                )}
                {anchor && tag(anchor[0], anchor[1], a.label)}
              </g>
            );
          }
          default:
            return null;
        }
      })}
    </g>
  );
}
