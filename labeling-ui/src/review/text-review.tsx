import type { SpanAnnotation } from '../../../core/labels/annotation.ts';
import type { ReviewTask } from '../api/labeling.ts';
import { FailureNotice } from '../datasets/failure-notice.tsx';
import { SpanText } from '../text/span-text.tsx';
import { useAsync } from '../use-async.ts';
import { itemText } from './item-text.ts';
import { submissionColor } from './submission-colors.ts';

/**
 * A text item in review: the text once per shown submission, its spans highlighted in that
 * labeler's colour, with the spans listed by class beneath.
 */
export function TextReview({ task, shown }: { task: ReviewTask; shown: readonly boolean[] }) {
  const [text] = useAsync(() => itemText(task.contentUrl), [task.contentUrl]);
  if (text.status === 'loading') return <p className="status">Loading the text…</p>;
  if (text.status === 'error') return <FailureNotice error={new Error(text.message)} />;
  return (
    <div className="review-text">
      {task.submissions.map((s, i) => {
        if (!shown[i]) return null;
        const spans = s.annotations.filter((a): a is SpanAnnotation => a.kind === 'span');
        const color = submissionColor(i);
        return (
          <section key={`${s.user}-${i}`} data-testid={`review-text-${i}`} style={{ borderLeft: `4px solid ${color}`, paddingLeft: 8, marginBottom: 12 }}>
            <h4 style={{ margin: '4px 0', color }}>{s.user}</h4>
            <SpanText text={text.value} spans={spans} colorOf={() => color} style={{ padding: 8, border: '1px solid #ddd', borderRadius: 4, maxHeight: '30vh', overflowY: 'auto' }} />
            <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
              {spans.map((span) => (
                <li key={span.id}>
                  <strong>{span.label}</strong> “{text.value.slice(span.start, span.end)}” [{span.start}, {span.end})
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
