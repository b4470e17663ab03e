import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { classificationMode, itemClasses, toggleItemClass } from './class-toggles.ts';
import type { Editor } from './editor.ts';

/** Props of {@link ClassButtons}. */
export interface ClassButtonsProps {
  readonly schema: LabelSchema;
  readonly annotations: readonly Annotation[];
  /** Who decides when turning a class off rejects a model's proposal. */
  readonly editor: Editor;
  readonly onChange: (next: Annotation[]) => void;
}

/**
 * Toggle buttons classifying the whole item, one per class of the schema, when its tools
 * include `class` (one class per item) or `classes` (any number); see toggleItemClass. A
 * button is pressed while the item has that class (a rejected proposal does not count).
 * Renders nothing when the schema has no classification tool.
 */
export function ClassButtons({ schema, annotations, editor, onChange }: ClassButtonsProps) {
  const mode = classificationMode(schema);
  if (mode === null) return null;
  const present = itemClasses(annotations);
  return (
    <div role="group" aria-label={mode === 'single' ? 'Class of the item' : 'Classes of the item'} className="class-buttons">
      {schema.classes.map((c) => {
        const pressed = present.has(c.name);
        return (
          <button
            key={c.name}
            type="button"
            data-testid={`item-class-${c.name}`}
            aria-pressed={pressed}
            onClick={() => onChange(toggleItemClass(annotations, c.name, mode, editor))}
            style={{
              border: `2px solid ${c.color}`,
              background: pressed ? c.color : 'transparent',
              color: pressed ? '#fff' : 'inherit',
              borderRadius: 4,
              padding: '2px 10px',
              marginRight: 6,
            }}
          >
            {c.name}
          </button>
        );
      })}
    </div>
  );
}
