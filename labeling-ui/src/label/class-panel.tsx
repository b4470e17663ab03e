import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { itemClasses } from '../annotations/class-toggles.ts';
import type { Tool } from './tool-bar.tsx';

/**
 * The schema's classes with their hotkeys. With a drawing tool a class is the one new shapes
 * get (and the selected shape is given); with "Classify item" the buttons toggle whole-item
 * classes (one for the `class` tool, several for `classes`), pressed when the item has them.
 */
export function ClassPanel(props: { schema: LabelSchema; tool: Tool; activeClass: string | null; annotations: readonly Annotation[]; onPick: (name: string) => void }) {
  const { schema, tool, activeClass, annotations } = props;
  const classifying = tool === 'classify';
  const present = itemClasses(annotations);
  return (
    <div className="class-panel">
      <h2 id="class-panel-title">{classifying ? (schema.tools.includes('classes') ? 'Item classes' : 'Item class') : 'Class'}</h2>
      <ul aria-labelledby="class-panel-title">
        {schema.classes.map((c) => {
          const pressed = classifying ? present.has(c.name) : activeClass === c.name;
          return (
            <li key={c.name}>
              <button
                className={pressed ? 'class-button active' : 'class-button'}
                data-testid={`class-${c.name}`}
                aria-pressed={pressed}
                aria-label={`${classifying ? 'Toggle item class' : 'Draw with class'} ${c.name}${c.hotkey ? ` (key ${c.hotkey})` : ''}`}
                onClick={() => props.onPick(c.name)}
              >
                <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
                {c.name}
                {c.hotkey && <kbd>{c.hotkey}</kbd>}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
