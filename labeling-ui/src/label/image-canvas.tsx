import { useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type Ref } from 'react';
import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { clipBox, clipPoint, type Box, type Point } from './annotation-edits.ts';
import { AnnotationShapes } from './annotation-shapes.tsx';
import { moveVertex, resizeBox, translate, type BoxHandle } from './shape-geometry.ts';
import { fitViewport, panBy, toImage, zoomAt, type Viewport } from './viewport.ts';

/** The drawing tools of the canvas; `select` only selects and edits. */
export type CanvasTool = 'select' | 'box' | 'polygon' | 'keypoints';

/** What the labeling view may ask of the canvas from its keyboard handling. */
export interface ImageCanvasHandle {
  /** Offers a key to the canvas (zoom, fit, closing or cancelling a drawing); true when it used it. */
  handleKey(event: KeyboardEvent): boolean;
  fit(): void;
  zoom(factor: number): void;
}

export interface ImageCanvasProps {
  readonly image: HTMLImageElement;
  /** The original image's size: every coordinate here is in its pixels. */
  readonly width: number;
  readonly height: number;
  readonly schema: LabelSchema;
  readonly annotations: readonly Annotation[];
  readonly tool: CanvasTool;
  readonly selectedId: string | null;
  readonly onSelect: (id: string | null) => void;
  readonly onAddBox: (box: Box) => void;
  readonly onAddPolygon: (points: Point[]) => void;
  readonly onAddKeypoints: (points: [number, number, number][]) => void;
  /** An edit of an existing annotation, once the drag that made it ends. */
  readonly onUpdate: (id: string, next: Annotation) => void;
  readonly ref?: Ref<ImageCanvasHandle>;
}

type Draft =
  | { readonly kind: 'box'; readonly start: Point; readonly end: Point; readonly startScreen: Point; readonly under: string | null }
  | { readonly kind: 'polygon'; readonly points: readonly Point[]; readonly cursor: Point | null }
  | { readonly kind: 'keypoints'; readonly points: readonly [number, number, number][] };

type Drag =
  | { readonly kind: 'pan'; readonly last: Point }
  | { readonly kind: 'move'; readonly id: string; readonly from: Point; readonly original: Annotation; readonly current: Annotation }
  | { readonly kind: 'handle'; readonly id: string; readonly handle: BoxHandle; readonly from: Point; readonly original: Annotation; readonly current: Annotation }
  | { readonly kind: 'vertex'; readonly id: string; readonly index: number; readonly original: Annotation; readonly current: Annotation };

/** A click closes a polygon when it lands this close to the first vertex (screen pixels). */
const CLOSE_DISTANCE = 8;
/** A drag shorter than this (screen pixels) is a click. */
const CLICK_DISTANCE = 4;
const ZOOM_STEP = 1.25;

/**
 * The image with its annotations: zoom (wheel, `+`/`-`, `0` fits), pan (drag with Space held
 * or the middle button), boxes drawn by dragging and edited by their handles, polygons by
 * clicking vertices (closed on the first vertex or Enter), keypoints placed in schema order.
 * The preview shown may be smaller than the original; the image layer is scaled to the
 * original's size so every coordinate, on screen or emitted, is in original pixels.
 */
export function ImageCanvas(props: ImageCanvasProps) {
  const { image, width, height, schema, annotations, tool, selectedId } = props;
  const stageRef = useRef<HTMLDivElement>(null);
  const imageHostRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<Viewport>({ scale: 1, x: 0, y: 0 });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [spaceHeld, setSpaceHeld] = useState(false);
  const fitted = useRef(true);
  // Event handlers registered once read the latest state through this ref.
  const latest = useRef({ props, view, draft, drag, spaceHeld });
  latest.current = { props, view, draft, drag, spaceHeld };
  const size = { width, height };

  const stageSize = (): { width: number; height: number } => {
    const rect = stageRef.current?.getBoundingClientRect();
    return { width: rect?.width ?? 800, height: rect?.height ?? 600 };
  };
  const fit = (): void => {
    fitted.current = true;
    setView(fitViewport(stageSize(), { width, height }));
  };
  const zoom = (factor: number): void => {
    fitted.current = false;
    const stage = stageSize();
    setView((v) => zoomAt(v, factor, { x: stage.width / 2, y: stage.height / 2 }));
  };

  // A new image: shown by moving its decoded element into the page (no second decode), fitted.
  useLayoutEffect(() => {
    const host = imageHostRef.current;
    if (!host) return;
    image.className = 'canvas-image';
    image.dataset.testid = 'canvas-image';
    host.replaceChildren(image);
    setDraft(null);
    setDrag(null);
    fit();
    // Only a new image refits; fit itself is a new closure on every render.
  }, [image, width, height]);

  // The stage resized: refit unless the labeler zoomed or panned on purpose.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const observer = new ResizeObserver(() => fitted.current && setView(fitViewport(stageSize(), { width, height })));
    observer.observe(stage);
    return () => observer.disconnect();
  }, [width, height]);

  // Wheel zoom must cancel the page's scrolling: only a non-passive listener can.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      fitted.current = false;
      const rect = stage.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015));
      setView((v) => zoomAt(v, factor, { x: event.clientX - rect.left, y: event.clientY - rect.top }));
    };
    stage.addEventListener('wheel', onWheel, { passive: false });
    return () => stage.removeEventListener('wheel', onWheel);
  }, []);

  // Space held turns a left drag into panning, as in image editors.
  useEffect(() => {
    const down = (event: KeyboardEvent): void => {
      // On a focused button or field Space keeps its usual meaning.
      if (event.code === 'Space' && !isTyping(event.target) && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        setSpaceHeld(true);
      }
    };
    const up = (event: KeyboardEvent): void => {
      if (event.code === 'Space') setSpaceHeld(false);
    };
    const blur = (): void => setSpaceHeld(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, []);

  // A change of tool abandons a half-drawn shape.
  useEffect(() => setDraft(null), [tool]);

  useImperativeHandle(props.ref, () => ({
    fit,
    zoom,
    handleKey(event: KeyboardEvent): boolean {
      const current = latest.current.draft;
      if (event.key === '+' || event.key === '=') return zoom(ZOOM_STEP), true;
      if (event.key === '-' || event.key === '_') return zoom(1 / ZOOM_STEP), true;
      if (event.key === '0') return fit(), true;
      if (event.key === 'Escape' && current) return setDraft(null), true;
      if (event.key === 'Enter' && current?.kind === 'polygon') {
        if (current.points.length >= 3) latest.current.props.onAddPolygon([...current.points]);
        setDraft(null);
        return true;
      }
      if (event.key === 'Enter' && current?.kind === 'keypoints') {
        if (current.points.length > 0) finishKeypoints(current.points);
        return true;
      }
      if (event.key === 'Backspace' && current?.kind === 'polygon') {
        setDraft(current.points.length > 1 ? { ...current, points: current.points.slice(0, -1) } : null);
        return true;
      }
      return false;
    },
  }));

  const keypointCount = schema.keypoints?.names.length ?? 0;
  const finishKeypoints = (points: readonly [number, number, number][]): void => {
    latest.current.props.onAddKeypoints([...points]);
    setDraft(null);
  };

  const stagePoint = (event: { clientX: number; clientY: number }): Point => {
    const rect = stageRef.current!.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };
  const imagePoint = (event: { clientX: number; clientY: number }): Point => {
    const [sx, sy] = stagePoint(event);
    return toImage(latest.current.view, { x: sx, y: sy });
  };

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>): void => {
    stageRef.current?.focus({ preventScroll: true });
    if (event.button === 1 || (event.button === 0 && spaceHeld)) {
      event.preventDefault();
      event.currentTarget.setPointerCapture(event.pointerId);
      fitted.current = false;
      setDrag({ kind: 'pan', last: stagePoint(event) });
      return;
    }
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const at = imagePoint(event);
    const target = shapeTarget(event.target);
    const selected = annotations.find((a) => a.id === selectedId) ?? null;
    const onSelected = target !== null && selected !== null && target.id === selected.id;

    if (tool === 'polygon' && (draft?.kind === 'polygon' || !(onSelected && target.vertex !== null))) {
      addPolygonVertex(at);
      return;
    }
    if (tool === 'keypoints' && (draft?.kind === 'keypoints' || !(onSelected && target.vertex !== null))) {
      if (keypointCount === 0) return;
      const points = [...(draft?.kind === 'keypoints' ? draft.points : []), [...clipPoint(at, width, height), event.shiftKey ? 1 : 2] as [number, number, number]];
      if (points.length >= keypointCount) finishKeypoints(points);
      else setDraft({ kind: 'keypoints', points });
      return;
    }
    if (onSelected && selected) {
      if (target.handle) setDrag({ kind: 'handle', id: selected.id, handle: target.handle, from: at, original: selected, current: selected });
      else if (target.vertex !== null) setDrag({ kind: 'vertex', id: selected.id, index: target.vertex, original: selected, current: selected });
      else setDrag({ kind: 'move', id: selected.id, from: at, original: selected, current: selected });
      return;
    }
    if (tool === 'box') {
      setDraft({ kind: 'box', start: at, end: at, startScreen: stagePoint(event), under: target?.id ?? null });
      return;
    }
    props.onSelect(target?.id ?? null);
  };

  const addPolygonVertex = (at: Point): void => {
    const points = draft?.kind === 'polygon' ? draft.points : [];
    const first = points[0];
    if (first && points.length >= 3 && Math.hypot(first[0] - at[0], first[1] - at[1]) * view.scale <= CLOSE_DISTANCE) {
      props.onAddPolygon([...points]);
      setDraft(null);
      return;
    }
    setDraft({ kind: 'polygon', points: [...points, clipPoint(at, width, height)], cursor: null });
  };

  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>): void => {
    if (drag?.kind === 'pan') {
      const point = stagePoint(event);
      setView((v) => panBy(v, point[0] - drag.last[0], point[1] - drag.last[1]));
      setDrag({ kind: 'pan', last: point });
      return;
    }
    const at = imagePoint(event);
    if (draft?.kind === 'box') setDraft({ ...draft, end: at });
    else if (draft?.kind === 'polygon') setDraft({ ...draft, cursor: at });
    else if (drag?.kind === 'move') setDrag({ ...drag, current: translate(drag.original, at[0] - drag.from[0], at[1] - drag.from[1], size) });
    else if (drag?.kind === 'handle' && drag.original.kind === 'box')
      setDrag({ ...drag, current: { ...drag.original, box: resizeBox(drag.original.box, drag.handle, at[0] - drag.from[0], at[1] - drag.from[1], size) } });
    else if (drag?.kind === 'vertex') setDrag({ ...drag, current: moveVertex(drag.original, drag.index, at, size) });
  };

  const onPointerUp = (event: ReactPointerEvent<HTMLDivElement>): void => {
    if (event.currentTarget.hasPointerCapture(event.pointerId)) event.currentTarget.releasePointerCapture(event.pointerId);
    if (draft?.kind === 'box') {
      const [sx, sy] = stagePoint(event);
      const moved = Math.hypot(sx - draft.startScreen[0], sy - draft.startScreen[1]);
      setDraft(null);
      if (moved < CLICK_DISTANCE) {
        props.onSelect(draft.under);
        return;
      }
      const end = imagePoint(event);
      const box = clipBox([draft.start[0], draft.start[1], end[0] - draft.start[0], end[1] - draft.start[1]], width, height);
      if (box) props.onAddBox(box);
      return;
    }
    if (drag && drag.kind !== 'pan' && drag.current !== drag.original) props.onUpdate(drag.id, drag.current);
    setDrag(null);
  };

  const shown = drag && drag.kind !== 'pan' ? annotations.map((a) => (a.id === drag.id ? drag.current : a)) : annotations;
  const cursor = drag?.kind === 'pan' ? 'grabbing' : spaceHeld ? 'grab' : tool === 'select' ? 'default' : 'crosshair';

  return (
    <div
      ref={stageRef}
      className="canvas-stage"
      data-testid="canvas-stage"
      tabIndex={0}
      role="application"
      aria-label="Image to label: drag to draw, wheel to zoom, Space-drag to pan"
      style={{ cursor }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        setDrag(null);
        if (draft?.kind === 'box') setDraft(null);
      }}
      onAuxClick={(event) => event.preventDefault()}
      onContextMenu={(event) => event.preventDefault()}
    >
      <div
        className="canvas-layer"
        data-testid="canvas-layer"
        style={{ width, height, transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
      >
        <div ref={imageHostRef} className="canvas-image-host" />
        <svg className="canvas-overlay" width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
          <AnnotationShapes annotations={shown} schema={schema} selectedId={selectedId} scale={view.scale} />
          <DraftShape draft={draft} schema={schema} scale={view.scale} />
        </svg>
      </div>
    </div>
  );
}

function DraftShape({ draft, schema, scale }: { draft: Draft | null; schema: LabelSchema; scale: number }) {
  if (!draft) return null;
  const stroke = 2 / scale;
  if (draft.kind === 'box') {
    const [x0, y0] = draft.start;
    const [x1, y1] = draft.end;
    return <rect className="draft" x={Math.min(x0, x1)} y={Math.min(y0, y1)} width={Math.abs(x1 - x0)} height={Math.abs(y1 - y0)} strokeWidth={stroke} />;
  }
  if (draft.kind === 'polygon') {
    const points = draft.cursor ? [...draft.points, draft.cursor] : draft.points;
    return (
      <g className="draft">
        <polyline points={points.map((p) => p.join(',')).join(' ')} strokeWidth={stroke} fill="none" />
        {draft.points.map(([x, y], i) => (
          <circle key={i} cx={x} cy={y} r={(i === 0 ? 6 : 4) / scale} strokeWidth={stroke / 2} />
        ))}
      </g>
    );
  }
  const names = schema.keypoints?.names ?? [];
  return (
    <g className="draft">
      {draft.points.map(([x, y], i) => (
        <g key={i}>
          <circle cx={x} cy={y} r={4 / scale} strokeWidth={stroke / 2} />
          <text x={x + 6 / scale} y={y - 6 / scale} fontSize={12 / scale}>
            {names[i]}
          </text>
        </g>
      ))}
    </g>
  );
}

/** The annotation (and which of its handles or vertices) a pointer went down on, if any. */
function shapeTarget(target: EventTarget): { id: string; handle: BoxHandle | null; vertex: number | null } | null {
  if (!(target instanceof Element)) return null;
  const element = target.closest<SVGElement>('[data-annotation-id]');
  if (!element) return null;
  const { annotationId, handle, vertex } = element.dataset;
  return { id: annotationId!, handle: (handle as BoxHandle | undefined) ?? null, vertex: vertex === undefined ? null : Number(vertex) };
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}
