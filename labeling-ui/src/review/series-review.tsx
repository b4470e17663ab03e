import type { RangeAnnotation } from '../../../core/labels/annotation.ts';
import type { ReviewTask } from '../api/labeling.ts';
import { FailureNotice } from '../datasets/failure-notice.tsx';
import { parseSeriesCsv } from '../series/parse-series-csv.ts';
import { SeriesPlot, type PlotRange } from '../series/series-plot.tsx';
import { useAsync } from '../use-async.ts';
import { itemText } from './item-text.ts';
import { submissionColor } from './submission-colors.ts';

/**
 * A time-series item in review: the plot once, with one band per submission holding that
 * labeler's ranges in the labeler's colour, tagged with their class.
 */
export function SeriesReview({ task, shown }: { task: ReviewTask; shown: readonly boolean[] }) {
  const [series] = useAsync(async () => parseSeriesCsv(await itemText(task.contentUrl)), [task.contentUrl]);
  if (series.status === 'loading') return <p className="status">Loading the series…</p>;
  if (series.status === 'error') return <FailureNotice error={new Error(series.message)} />;
  const ranges: PlotRange[] = task.submissions.flatMap((s, lane) =>
    shown[lane]
      ? s.annotations
          .filter((a): a is RangeAnnotation => a.kind === 'range')
          .map((r) => ({ id: `${lane}:${r.id}`, start: r.start, end: r.end, label: `${s.user}: ${r.label}`, color: submissionColor(lane), lane }))
      : [],
  );
  return <SeriesPlot testId="review-series" data={series.value} ranges={ranges} lanes={Math.max(1, task.submissions.length)} height={Math.max(260, 60 * task.submissions.length + 60)} />;
}
