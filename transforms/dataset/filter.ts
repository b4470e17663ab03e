import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import { compileFilter } from '../../core/filter/match-filter.ts';
import { parseFilter } from '../../core/filter/parse-filter.ts';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { parseParams, text } from '../params.ts';

const schema = z.strictObject({
  /** An item filter, e.g. `meta.split = train and annotations.label in (cat, dog)`. */
  where: text(4096).superRefine((where, context) => {
    try {
      parseFilter(where);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      context.addIssue({ code: 'custom', message: error.data.reason });
    }
  }),
});

export type FilterParams = z.output<typeof schema>;

/**
 * `dataset.filter`: keeps the items matching `where`, as they are, and leaves the others out.
 * The filter language is the one of provisioning and queries (core/filter/parse-filter.ts):
 * `meta.split = train`, `annotations.label in (cat, dog)`, `meta.score >= 0.5`, `label = cat`,
 * `path ~ "images/*.jpg"`, `size < 1e6`, combined with and, or, not and parentheses.
 */
export const datasetFilter: ItemTransform<FilterParams> = {
  kind: 'item',
  name: 'dataset.filter',
  version: '1',
  description: 'Keep only the items whose path, size, meta or annotations match a filter.',
  parseParams: (raw) => parseParams('dataset.filter', schema, raw),
  apply: async (input, params) => {
    const matches = compileFilter(parseFilter(params.where));
    if (!matches(input)) return [];
    return [{ path: input.path, content: { blob: input.blob }, meta: input.meta, annotations: input.annotations }];
  },
};
