/**
 * What a labeling project asks its labelers for: the media they see, the classes (each with a
 * colour and an optional hotkey) and the tools they may use. Stored with the project; the web
 * UI draws itself from it, and submitted annotations are checked against it.
 */
export interface LabelSchema {
  readonly media: 'image' | 'text' | 'timeseries';
  readonly classes: readonly LabelClass[];
  /**
   * `class`: one class per item (single-label); `classes`: any number (multi-label); `box`,
   * `polygon`, `keypoints` on images; `span` on text; `range` on time series.
   */
  readonly tools: readonly LabelTool[];
  /** For the `keypoints` tool: the points' names, in order, and the lines drawn between them (index pairs). */
  readonly keypoints?: { readonly names: readonly string[]; readonly skeleton?: readonly (readonly [number, number])[] };
}

export type LabelTool = 'class' | 'classes' | 'box' | 'polygon' | 'keypoints' | 'span' | 'range';

export const LABEL_TOOLS: readonly LabelTool[] = ['class', 'classes', 'box', 'polygon', 'keypoints', 'span', 'range'];

export interface LabelClass {
  readonly name: string;
  /** CSS hex colour, `#rrggbb`. */
  readonly color: string;
  /** One key (`1`…`9`, a letter) that picks this class in the UI. */
  readonly hotkey?: string;
}
