/**
 * The UTF-16 offset where JSON `text` stops being valid (RFC 8259), for error messages: engines
 * do not always say where (V8's "Unexpected token" names no position). Only called after
 * `JSON.parse` failed, so it favours being small over being fast.
 * @returns the offset of the first offending character (`text.length` for a truncated text).
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (at: number): never => {
    throw new ScanError(at);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (word: string) => {
    for (const char of word) {
      if (text[i] !== char) fail(i);
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 0x22) return void i++;
      if (code < 0x20) fail(i);
      if (code === 0x5c) {
        const escape = text[i + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i);
          i += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i += 2;
        else fail(i);
      } else i++;
    }
    fail(i);
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail(i);
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail(i);
        string();
        space();
        expect(':');
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail(i);
      }
    }
    if (char === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail(i);
      }
    }
    if (char === '"') return string();
    if (char === 't') return expect('true');
    if (char === 'f') return expect('false');
    if (char === 'n') return expect('null');
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return number();
    fail(i);
  };
  try {
    value();
    space();
    return i < text.length ? i : text.length;
  } catch (error) {
    if (error instanceof ScanError) return Math.min(error.offset, text.length);
    return text.length; // nesting too deep for the stack: place it at the end
  }
}

class ScanError {
  constructor(readonly offset: number) {}
}
