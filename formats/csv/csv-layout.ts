/**
 * The two CSV layouts Sheaf reads, told apart by their header (names matched without regard
 * to case or surrounding spaces, in any column order; other columns are ignored):
 * - classification: `path,label` (`filename`, `file` or `image` for the path; `class` for the
 *   label); several rows for one path give several classes (multi-label), and a row with an
 *   empty label marks an item labeled with nothing;
 * - boxes, as the raccoon and TensorFlow object-detection CSVs:
 *   `filename,width,height,class,xmin,ymin,xmax,ymax` (width and height optional), one row per
 *   box; a row with an empty class and no corners marks an image with no boxes.
 */
export type CsvLayout =
  | { readonly kind: 'classes'; readonly path: number; readonly label: number }
  | {
      readonly kind: 'boxes';
      readonly path: number;
      readonly label: number;
      readonly width: number | null;
      readonly height: number | null;
      readonly corners: readonly [number, number, number, number];
    };

const PATH_NAMES = ['path', 'filename', 'file', 'image'];
const LABEL_NAMES = ['label', 'class'];

/** The layout of a header row, or why it is none of them. */
export function csvLayout(header: readonly string[]): CsvLayout | string {
  const names = header.map((name) => name.trim().toLowerCase());
  const column = (candidates: readonly string[]) => {
    const index = names.findIndex((name) => candidates.includes(name));
    return index < 0 ? null : index;
  };
  const path = column(PATH_NAMES);
  const label = column(LABEL_NAMES);
  const corners = ['xmin', 'ymin', 'xmax', 'ymax'].map((name) => column([name]));
  const described = `header ${JSON.stringify(header.join(','))}`;
  if (path === null || label === null) return `${described} is not a known CSV layout: expects path,label or filename,width,height,class,xmin,ymin,xmax,ymax`;
  if (corners.every((index) => index === null)) return { kind: 'classes', path, label };
  if (corners.some((index) => index === null)) return `${described} has some of xmin, ymin, xmax, ymax but not all`;
  return { kind: 'boxes', path, label, width: column(['width']), height: column(['height']), corners: corners as [number, number, number, number] };
}
