/**
 * Where a JSON text first goes wrong, as a 1-based line and column. JSON.parse's own message
 * gives a position for some errors and not for others ("Unexpected token '}', ... is not valid
 * JSON"), so this scans the text itself. Called only after JSON.parse has failed.
 */
export function jsonErrorPosition(text: string): { line: number; column: number } {
  const offset = firstErrorOffset(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

class Stop {
  constructor(readonly at: number) {}
}

function firstErrorOffset(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  const expect = (c: string) => {
    if (s[i] !== c) fail();
    i++;
  };
  const string = () => {
    expect('"');
    while (s[i] !== '"') {
      if (i >= s.length || s.charCodeAt(i) < 0x20) fail();
      if (s[i] === '\\') {
        i++;
        if (s[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if (i < s.length && '"\\/bfnrt'.includes(s[i])) i++;
        else fail();
      } else i++;
    }
    i++;
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(s.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (s[i] === '}') return void i++;
        expect(',');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (s[i] === ']') return void i++;
        expect(',');
      }
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (s.startsWith(word, i)) return void (i += word.length);
    }
    number();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
  } catch (err) {
    if (err instanceof Stop) return Math.min(err.at, s.length);
    throw err;
  }
  return s.length;
}
