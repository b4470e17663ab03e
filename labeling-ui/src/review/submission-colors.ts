/**
 * Colours that tell labelers' submissions apart in review, chosen to stay distinct from each
 * other (and for the first four, for most colour-blind readers); they repeat past eight.
 */
const SUBMISSION_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#7f7f00', '#882255'];

/** The colour of the `index`-th submission of an item. */
export function submissionColor(index: number): string {
  return SUBMISSION_COLORS[index % SUBMISSION_COLORS.length]!;
}
