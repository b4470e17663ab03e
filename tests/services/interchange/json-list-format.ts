import type { Annotation, BoxAnnotation } from '../../../core/labels/annotation.ts';
import type { FormatError, FormatItem, LabelFormat } from '../../../formats/format.ts';

/**
 * A small label format for the import and export services' tests, independent of the real
 * formats under formats/: one `labels.json`, `{classes: [name…], items: [{path, media, meta,
 * boxes: [[classId, x, y, w, h]…]}]}`. The reader checks what real readers check (JSON syntax,
 * class ids, boxes inside the image, media present); the writer streams the file and copies
 * each item's media to its own path.
 */
export const jsonListFormat: LabelFormat = {
  name: 'json-list',
  description: 'labels.json with items and class-numbered boxes (tests only)',

  async read(source) {
    const errors: FormatError[] = [];
    const file = 'labels.json';
    if (!(await source.exists(file))) return { items: [], classes: [], errors: [{ file, message: 'missing' }] };
    let parsed: { classes: string[]; items: { path: string; media: string | null; meta: Record<string, number>; boxes: number[][] }[] };
    try {
      parsed = JSON.parse(await source.readText(file));
    } catch (error) {
      return { items: [], classes: [], errors: [{ file, message: `not JSON: ${(error as Error).message}` }] };
    }
    const items: FormatItem[] = [];
    for (const [i, record] of parsed.items.entries()) {
      if (record.media !== null && !(await source.exists(record.media)))
        errors.push({ file, entry: `items[${i}]`, message: `media ${record.media} is missing` });
      const annotations: Annotation[] = [];
      for (const [j, [classId, x, y, w, h]] of record.boxes.entries()) {
        const label = parsed.classes[classId!];
        if (label === undefined) errors.push({ file, entry: `items[${i}].boxes[${j}]`, message: `unknown class id ${classId}` });
        else if (x! < 0 || y! < 0 || x! + w! > record.meta.width! || y! + h! > record.meta.height!)
          errors.push({ file, entry: `items[${i}].boxes[${j}]`, message: 'box outside the image' });
        else annotations.push({ id: `a${j + 1}`, kind: 'box', label, box: [x!, y!, w!, h!], source: { type: 'import', format: 'json-list' } });
      }
      items.push({ path: record.path, media: record.media, meta: record.meta, annotations });
    }
    return { items, classes: parsed.classes, errors };
  },

  async write(items, sink, options) {
    const out = await sink.openFile('labels.json');
    await out.write(`{"classes":${JSON.stringify(options.classes)},"items":[`);
    let count = 0;
    let annotations = 0;
    for await (const item of items) {
      const boxes = item.annotations
        .filter((a): a is BoxAnnotation => a.kind === 'box')
        .map((a) => [options.classes.indexOf(a.label), ...a.box]);
      annotations += boxes.length;
      const media = options.includeMedia ? item.path : null;
      await out.write(`${count++ ? ',' : ''}\n${JSON.stringify({ path: item.path, media, meta: item.meta, boxes })}`);
      if (options.includeMedia) await sink.copyMedia(item.path, item.path);
    }
    await out.write(']}\n');
    await out.close();
    return { items: count, annotations, skipped: {} };
  },
};
