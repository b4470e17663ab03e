/**
 * The parsed form of an item filter (see parse-filter.ts for the syntax, docs/provisioning.md
 * for the language). Plain data: it can be logged, compared and matched without the text.
 */

/** What a comparison looks at in an item. */
export type FilterField =
  | { readonly kind: 'path' }
  | { readonly kind: 'blob' }
  | { readonly kind: 'size' }
  /** The class labels of the annotations, by the rule in item-labels.ts. */
  | { readonly kind: 'label' }
  /** A member of `meta` or `annotations`, by key path; an empty path is the whole value. */
  | { readonly kind: 'meta' | 'annotations'; readonly keys: readonly string[] };

/**
 * A literal as written. An unquoted one that reads as a number, `true`, `false` or `null`
 * matches that JSON value as well as the string with the same spelling; a quoted one is only
 * ever a string.
 */
export interface FilterLiteral {
  readonly text: string;
  readonly quoted: boolean;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';

export type ItemFilter =
  | { readonly kind: 'and' | 'or'; readonly clauses: readonly ItemFilter[] }
  | { readonly kind: 'not'; readonly clause: ItemFilter }
  | { readonly kind: 'compare'; readonly field: FilterField; readonly op: CompareOp; readonly value: FilterLiteral }
  | { readonly kind: 'in'; readonly field: FilterField; readonly values: readonly FilterLiteral[] }
  | { readonly kind: 'exists'; readonly field: FilterField };
