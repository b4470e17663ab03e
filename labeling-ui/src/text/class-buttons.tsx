import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { classificationMode, toggleClass } from './class-toggles.ts';

/** Props of {@link ClassButtons}. */
export interface ClassButtonsProps {
  readonly schema: LabelSchema;
  readonly annotations: readonly Annotation[];
  readonly onChange: (next: Annotation[]) => void;
}

/**
 * Toggle buttons classifying the whole item, one per class of the schema, when its tools
 * include `class` (one class per item) or `classes` (any number). Renders nothing otherwise.
 */
export function ClassButtons({ schema, annotations, onChange }: ClassButtonsProps) {
  const mode = classificationMode(schema);
  if (mode === null) return null;
  return (
    <div role="group" aria-label={mode === 'single' ? 'Class of the item' : 'Classes of the item'} className="class-buttons">
      {schema.classes.map((c) => {
        const pressed = annotations.some((a) => a.kind === 'class' && a.label === c.name);
        return (
          <button
            key={c.name}
            type="button"
            data-testid={`item-class-${c.name}`}
            aria-pressed={pressed}
            onClick={() => onChange(toggleClass(annotations, c.name, mode))}
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
