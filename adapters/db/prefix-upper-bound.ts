const MAX_CODE_POINT = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, in code point
 * order (PostgreSQL's `COLLATE "C"`), or null when there is none (an empty prefix, or one made
 * only of U+10FFFF). With it a prefix filter is the index-friendly range
 * `path >= prefix and path < bound`, where `%`, `_` and `\` need no escaping as in LIKE.
 */
export function prefixUpperBound(prefix: string): string | null {
  const codePoints = Array.from(prefix, (char) => char.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last === MAX_CODE_POINT) continue;
    // Surrogates are not characters and cannot be stored, so the next one after U+D7FF is U+E000.
    codePoints.push(last === 0xd7ff ? 0xe000 : last + 1);
    return String.fromCodePoint(...codePoints);
  }
  return null;
}
