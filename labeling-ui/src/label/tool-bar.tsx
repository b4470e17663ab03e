import type { LabelSchema } from '../../../core/labels/label-schema.ts';

/** The labeler's current tool: a drawing tool of the canvas, whole-item classification, or plain selection. */
export type Tool = 'select' | 'box' | 'polygon' | 'keypoints' | 'classify';

interface ToolInfo {
  readonly tool: Tool;
  readonly label: string;
  readonly key: string;
}

const TOOLS: readonly ToolInfo[] = [
  { tool: 'select', label: 'Select', key: 'v' },
  { tool: 'box', label: 'Box', key: 'b' },
  { tool: 'polygon', label: 'Polygon', key: 'p' },
  { tool: 'keypoints', label: 'Keypoints', key: 'k' },
  { tool: 'classify', label: 'Classify item', key: 'c' },
];

/** The tools an image schema offers, in toolbar order; other media draw in their own labelers. */
export function toolsOf(schema: LabelSchema): Tool[] {
  if (schema.media !== 'image') return [];
  return TOOLS.map((t) => t.tool).filter(
    (tool) =>
      tool === 'select' ||
      (tool === 'classify' ? schema.tools.includes('class') || schema.tools.includes('classes') : schema.tools.includes(tool)) &&
        (tool !== 'keypoints' || (schema.keypoints?.names.length ?? 0) > 0),
  );
}

/** The tool a labeler starts with: the first drawing tool, else classification, else selection. */
export function defaultTool(schema: LabelSchema): Tool {
  const tools = toolsOf(schema);
  return tools.find((t) => t !== 'select' && t !== 'classify') ?? tools.find((t) => t === 'classify') ?? 'select';
}

/** The keys switching to the schema's tools (V, B, P, K, C). */
export function toolKeys(schema: LabelSchema): ReadonlyMap<string, Tool> {
  const tools = toolsOf(schema);
  return new Map(TOOLS.filter((t) => tools.includes(t.tool)).map((t) => [t.key, t.tool]));
}

/** Tool buttons and the zoom controls. */
export function ToolBar(props: { schema: LabelSchema; tool: Tool; onTool: (tool: Tool) => void; onFit: () => void; onZoom: (factor: number) => void }) {
  const tools = toolsOf(props.schema);
  if (tools.length === 0) return null;
  return (
    <div className="tool-bar" role="toolbar" aria-label="Tools">
      {TOOLS.filter((t) => tools.includes(t.tool)).map((t) => (
        <button
          key={t.tool}
          data-testid={`tool-${t.tool}`}
          aria-pressed={props.tool === t.tool}
          className={props.tool === t.tool ? 'active' : undefined}
          title={`${t.label} (${t.key.toUpperCase()})`}
          onClick={() => props.onTool(t.tool)}
        >
          {t.label} <kbd>{t.key.toUpperCase()}</kbd>
        </button>
      ))}
      <div className="zoom-buttons">
        <button aria-label="Zoom in (+)" title="Zoom in (+)" onClick={() => props.onZoom(1.25)}>
          +
        </button>
        <button aria-label="Zoom out (-)" title="Zoom out (-)" onClick={() => props.onZoom(0.8)}>
          −
        </button>
        <button aria-label="Fit to screen (0)" title="Fit to screen (0)" data-testid="fit" onClick={props.onFit}>
          Fit
        </button>
      </div>
    </div>
  );
}
