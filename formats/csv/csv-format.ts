import type { LabelFormat } from '../format.ts';
import { readCsv } from './read-csv.ts';
import { writeCsv } from './write-csv.ts';

/**
 * CSV: classification (`path,label`, multi-label by repeated paths) and boxes
 * (`filename,width,height,class,xmin,ymin,xmax,ymax`), told apart by the header. See
 * csv-layout.ts for the layouts, read-csv.ts and write-csv.ts for the files.
 */
export const csvFormat: LabelFormat = {
  name: 'csv',
  description: 'CSV: path,label classification rows, or filename,width,height,class,xmin,ymin,xmax,ymax box rows',
  read: (source) => readCsv(source),
  write: (items, sink, options) => writeCsv(items, sink, options),
};
