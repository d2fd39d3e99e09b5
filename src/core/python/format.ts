// Python's str.format(**kwargs) for the format:// protocol: {name}, {name:spec} with the common
// specs (fill/zero padding, width, precision, d/f/e/g/s), and {{ }} escapes.

import type { PyValue } from './literal.js';
import { pyStr } from './value.js';

function formatValue(v: unknown, spec: string, name: string): string {
  // Values arrive as parsed Python literals (floats as PyFloat), so str() spells them as Python does.
  const text = (x: unknown) => pyStr(x as PyValue);
  if (spec === '') return text(v);
  const m = /^(0)?(\d+)?(?:\.(\d+))?([dfegs%])?$/.exec(spec);
  if (!m) throw new Error(`format://: format spec '${spec}' of {${name}} is not supported`);
  const [, zero, width, precision, type] = m;
  let s: string;
  const num = Number(v);
  switch (type) {
    case 'd':
      s = String(Math.trunc(num));
      break;
    case 'f':
      s = num.toFixed(precision === undefined ? 6 : Number(precision));
      break;
    case 'e':
      s = num
        .toExponential(precision === undefined ? 6 : Number(precision))
        .replace(/e([+-])(\d)$/, 'e$10$2');
      break;
    case '%':
      s = (num * 100).toFixed(precision === undefined ? 6 : Number(precision)) + '%';
      break;
    case 'g':
      s = precision === undefined ? text(v) : String(Number(num.toPrecision(Number(precision))));
      break;
    default:
      s = precision === undefined ? text(v) : text(v).slice(0, Number(precision));
  }
  const w = width === undefined ? 0 : Number(width);
  if (s.length >= w) return s;
  if (zero) return s.startsWith('-') ? '-' + s.slice(1).padStart(w - 1, '0') : s.padStart(w, '0');
  return typeof v === 'number' ? s.padStart(w) : s.padEnd(w);
}

export function pythonFormat(template: string, kwargs: Record<string, unknown>): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch === '{' && template[i + 1] === '{') {
      out += '{';
      i++;
      continue;
    }
    if (ch === '}' && template[i + 1] === '}') {
      out += '}';
      i++;
      continue;
    }
    if (ch === '}') throw new Error(`format://: single '}' in '${template}'`);
    if (ch !== '{') {
      out += ch;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close < 0) throw new Error(`format://: unclosed '{' in '${template}'`);
    const field = template.slice(i + 1, close);
    const colon = field.indexOf(':');
    const name = colon < 0 ? field : field.slice(0, colon);
    const spec = colon < 0 ? '' : field.slice(colon + 1);
    if (!(name in kwargs)) throw new Error(`format://: no value for {${name}} (give ${name}=... in the URL)`);
    out += formatValue(kwargs[name], spec, name);
    i = close;
  }
  return out;
}
