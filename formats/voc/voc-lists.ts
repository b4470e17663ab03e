import type { FormatErrorList } from '../format-errors.ts';
import type { FormatSource } from '../format.ts';
import { basenameOf, stripExtension } from '../item-paths.ts';

/**
 * Reads `labelmap.txt` (`name:r,g,b:parts:actions` per line, `#` comments), as Datumaro and
 * CVAT write it: the class names in order, then the part names (`head,hand,foot`) not already
 * among them. Returns null when the file is absent.
 */
export async function readLabelmap(source: FormatSource, files: readonly string[], errors: FormatErrorList): Promise<string[] | null> {
  if (!files.includes('labelmap.txt')) return null;
  const classes: string[] = [];
  const parts: string[] = [];
  for await (const { line, text } of source.lines('labelmap.txt')) {
    const content = text.trim();
    if (content === '' || content.startsWith('#')) continue;
    const [name = '', , partList = ''] = content.split(':');
    if (name.trim() === '') errors.add('labelmap.txt', 'a label has no name', { line });
    else if (classes.includes(name.trim())) errors.add('labelmap.txt', `label ${name.trim()} appears twice`, { line });
    else classes.push(name.trim());
    for (const part of partList.split(',')) if (part.trim() !== '' && !parts.includes(part.trim())) parts.push(part.trim());
  }
  return [...classes, ...parts.filter((part) => !classes.includes(part))];
}

/**
 * The split of each image id from `ImageSets/Main/<split>.txt` (one id per line). Lists with a
 * second column (`aeroplane_train.txt`: `id  1` / `id -1`) say which classes an image holds,
 * which the objects already tell, and are skipped. An id in several lists takes the first by
 * name, with `trainval` (the union of train and val) last. Without `ImageSets/Main`, the lists
 * of the other task folders (Segmentation, Layout, Action) are used.
 */
export async function readSplits(source: FormatSource, files: readonly string[]): Promise<Map<string, { readonly split: string; readonly file: string }>> {
  const inMain = files.filter((file) => /^ImageSets\/Main\/[^/]+\.txt$/.test(file));
  const lists = inMain.length > 0 ? inMain : files.filter((file) => /^ImageSets\/[^/]+\/[^/]+\.txt$/.test(file));
  const ordered = [...lists].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const splits = new Map<string, { split: string; file: string }>();
  for (const file of ordered) {
    const entries: { line: number; fields: string[] }[] = [];
    for await (const { line, text } of source.lines(file)) {
      const fields = text.trim().split(/\s+/).filter((field) => field !== '');
      if (fields.length > 0) entries.push({ line, fields });
    }
    if (entries.some((entry) => entry.fields.length > 1)) continue;
    const split = stripExtension(basenameOf(file));
    for (const { fields } of entries) if (!splits.has(fields[0]!)) splits.set(fields[0]!, { split, file });
  }
  return splits;
}

function rank(file: string): number {
  return stripExtension(basenameOf(file)) === 'trainval' ? 1 : 0;
}
