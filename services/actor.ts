/**
 * Who performs an operation. Services record it (commit authors, audit) and, with access
 * control, decide from it what the caller may do.
 */
export interface Actor {
  /** Shown as the author of commits. */
  readonly name: string;
}
