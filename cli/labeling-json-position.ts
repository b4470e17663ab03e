/** Where a text stops being JSON: 1-based line and column, and what was found there. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** e.g. `unexpected "}"`, `unexpected end of file`. */
  readonly reason: string;
}

class Stop {
  constructor(readonly offset: number) {}
}

/**
 * The first syntax error of `text` as JSON (RFC 8259), or undefined when it is valid JSON.
 * Node's JSON.parse names the position for some failures only (not for a bad first token,
 * for one), so a file's author would otherwise be left searching; this scan always finds it.
 * Nesting deeper than the stack allows gives the start of the text.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const is = (pattern: RegExp) => i < text.length && pattern.test(text[i]!);
  const whitespace = () => {
    while (is(/[ \t\n\r]/)) i++;
  };
  const digits = () => {
    if (!is(/[0-9]/)) fail();
    while (is(/[0-9]/)) i++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[i] !== char) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length || text.charCodeAt(i) < 0x20) fail();
      const char = text[i]!;
      i++;
      if (char === '"') return;
      if (char !== '\\') continue;
      if (text[i] === 'u') {
        i++;
        for (let k = 0; k < 4; k++) {
          if (!is(/[0-9a-fA-F]/)) fail();
          i++;
        }
      } else if (is(/["\\/bfnrt]/)) i++;
      else fail();
    }
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (is(/[eE]/)) {
      i++;
      if (is(/[+-]/)) i++;
      digits();
    }
  };
  const sequence = (close: string, member: () => void) => {
    i++;
    whitespace();
    if (text[i] === close) return void i++;
    for (;;) {
      member();
      whitespace();
      if (text[i] === ',') i++;
      else if (text[i] === close) return void i++;
      else fail();
    }
  };
  const value = (): void => {
    whitespace();
    const char = text[i];
    if (char === '{')
      sequence('}', () => {
        whitespace();
        if (text[i] !== '"') fail();
        string();
        whitespace();
        if (text[i] !== ':') fail();
        i++;
        value();
      });
    else if (char === '[') sequence(']', value);
    else if (char === '"') string();
    else if (char === '-' || is(/[0-9]/)) number();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else fail();
  };
  let offset: number;
  try {
    value();
    whitespace();
    if (i === text.length) return undefined;
    offset = i;
  } catch (error) {
    if (error instanceof Stop) offset = error.offset;
    else if (error instanceof RangeError) offset = 0;
    else throw error;
  }
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const found = offset < text.length ? `unexpected ${JSON.stringify(String.fromCodePoint(text.codePointAt(offset)!))}` : 'unexpected end of file';
  return { offset, line: before.split('\n').length, column: offset - lineStart + 1, reason: found };
}
