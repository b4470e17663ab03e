import { InvalidInputError } from '../../core/errors.ts';
import type { FormatError } from '../../formats/format.ts';

/**
 * An import whose files hold errors: nothing was written. Carries every error the format's
 * reader and the import's own checks found (file, line or entry, message), so the whole list
 * can be fixed in one go. Its code is INVALID_INPUT, like any other bad input; the HTTP route
 * answers it with 422 and the list.
 */
export class LabelImportRejectedError extends InvalidInputError {
  constructor(
    format: string,
    readonly errors: readonly FormatError[],
  ) {
    super('import', `the ${format} files hold ${errors.length} error(s); nothing was imported`);
  }
}

