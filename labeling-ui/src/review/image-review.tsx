import { useEffect, useState } from 'react';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import type { ReviewTask } from '../api/labeling.ts';
import { AnnotationShapes } from './annotation-shapes.tsx';
import { originalSize, type Size } from './original-size.ts';
import { submissionColor } from './submission-colors.ts';

/** Props of {@link ImageReview}. */
export interface ImageReviewProps {
  readonly task: ReviewTask;
  readonly schema: LabelSchema;
  /** Which submissions (by index) are drawn. */
  readonly shown: readonly boolean[];
}

/**
 * The item's preview with every shown submission's boxes, polygons and keypoints drawn over it
 * in the submission's colour. The overlay is in the original image's pixels (the
 * annotations' space), stretched over the preview, so previews of any scale line up.
 */
export function ImageReview({ task, schema, shown }: ImageReviewProps) {
  const [size, setSize] = useState<Size | null | 'loading'>('loading');
  useEffect(() => {
    let live = true;
    setSize('loading');
    originalSize(task).then((s) => live && setSize(s));
    return () => {
      live = false;
    };
  }, [task]);
  return (
    <div className="review-image" style={{ position: 'relative', display: 'inline-block', maxWidth: '100%', lineHeight: 0 }}>
      <img data-testid="review-image" src={task.previewUrl} alt={task.path} style={{ display: 'block', maxWidth: '100%', maxHeight: '70vh' }} />
      {size !== 'loading' && size !== null && (
        <svg
          data-testid="review-overlay"
          viewBox={`0 0 ${size.width} ${size.height}`}
          preserveAspectRatio="none"
          style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }}
        >
          {task.submissions.map((s, i) =>
            shown[i] ? (
              <AnnotationShapes
                key={`${s.user}-${i}`}
                testId={`overlay-${i}`}
                annotations={s.annotations}
                color={submissionColor(i)}
                size={size}
                {...(schema.keypoints?.skeleton ? { skeleton: schema.keypoints.skeleton } : {})}
              />
            ) : null,
          )}
        </svg>
      )}
      {size === null && (
        <p className="error" style={{ lineHeight: 1.4 }}>
          The image could not be decoded, so the submissions cannot be drawn over it.
        </p>
      )}
    </div>
  );
}
