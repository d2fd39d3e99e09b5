// Reader for the small subset of Python literal syntax strax writes as text (numpy descrs):
// strings, numbers, None/True/False, lists, tuples and dicts.

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export type PyValue = string | number | boolean | null | PyValue[] | PyTuple | Map<string, PyValue>;

export function parsePythonLiteral(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`cannot parse Python literal at offset ${i}: ${what}`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };

  const parseString = (): string => {
    const quote = text[i]!;
    i++;
    let out = '';
    while (i < text.length && text[i] !== quote) {
      const ch = text[i]!;
      if (ch === '\\') {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case '0': out += '\0'; break;
          case 'x': out += String.fromCharCode(parseInt(text.slice(i, i + 2), 16)); i += 2; break;
          case 'u': out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16)); i += 4; break;
          case 'U': out += String.fromCodePoint(parseInt(text.slice(i, i + 8), 16)); i += 8; break;
          case undefined: fail('unterminated escape'); break;
          default: out += e;
        }
      } else {
        out += ch;
        i++;
      }
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return out;
  };

  const parseSeq = (close: string): PyValue[] => {
    const items: PyValue[] = [];
    i++;
    ws();
    while (text[i] !== close) {
      items.push(parseValue());
      ws();
      if (text[i] === ',') { i++; ws(); } else if (text[i] !== close) fail(`expected ',' or '${close}'`);
    }
    i++;
    return items;
  };

  const parseValue = (): PyValue => {
    ws();
    const ch = text[i];
    if (ch === undefined) return fail('unexpected end');
    if (ch === "'" || ch === '"') return parseString();
    if (ch === 'b' && (text[i + 1] === "'" || text[i + 1] === '"')) { i++; return parseString(); }
    if (ch === '[') return parseSeq(']');
    if (ch === '(') return new PyTuple(parseSeq(')'));
    if (ch === '{') {
      const m = new Map<string, PyValue>();
      i++;
      ws();
      while (text[i] !== '}') {
        const k = parseValue();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        m.set(String(k), parseValue());
        ws();
        if (text[i] === ',') { i++; ws(); }
      }
      i++;
      return m;
    }
    const word = /^(None|True|False|[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan))/.exec(text.slice(i, i + 64));
    if (!word) return fail(`unexpected '${ch}'`);
    i += word[0].length;
    switch (word[0]) {
      case 'None': return null;
      case 'True': return true;
      case 'False': return false;
      default: return Number(word[0].replace('inf', 'Infinity').replace('nan', 'NaN'));
    }
  };

  const v = parseValue();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}
