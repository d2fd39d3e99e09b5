import { describe, expect, it } from 'vitest';
import { PyFloat } from '../../../src/core/python/float.js';
import {
  parsePythonLiteral,
  PyDict,
  PyLiteralError,
  pyStrRepr,
  PyTuple,
} from '../../../src/core/python/literal.js';

describe('parsePythonLiteral (ast.literal_eval subset)', () => {
  it('reads a numpy descr with titles and sub-array shapes', () => {
    const v = parsePythonLiteral(
      "[(('Start time since unix epoch [ns]', 'time'), '<i8'), ('data', '<i2', (110,))]",
    );
    expect(v).toEqual([
      new PyTuple([new PyTuple(['Start time since unix epoch [ns]', 'time']), '<i8']),
      new PyTuple(['data', '<i2', new PyTuple([110])]),
    ]);
  });

  it('reads a .npy header dict; get() finds string keys', () => {
    const v = parsePythonLiteral("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }");
    expect(v).toBeInstanceOf(PyDict);
    const d = v as PyDict;
    expect(d.get('fortran_order')).toBe(false);
    expect(d.get('shape')).toEqual(new PyTuple([3]));
    expect(d.get('missing')).toBeUndefined();
  });

  it('keeps floats apart from ints, reads bytes as text, and (x) as x', () => {
    expect(parsePythonLiteral('28')).toBe(28);
    expect(parsePythonLiteral('28.0')).toEqual(new PyFloat(28));
    expect(parsePythonLiteral('-1e3')).toEqual(new PyFloat(-1000));
    expect(parsePythonLiteral("b'ab'")).toBe('ab');
    expect(parsePythonLiteral('(5)')).toBe(5);
    expect(parsePythonLiteral('()')).toEqual(new PyTuple([]));
    expect(parsePythonLiteral('None')).toBeNull();
  });

  it('refuses what literal_eval refuses, with the offset', () => {
    for (const bad of ['012', 'nan', "'open", '[1 2]', '{1}', 'x', '1 2']) {
      expect(() => parsePythonLiteral(bad)).toThrow(PyLiteralError);
    }
    expect(() => parsePythonLiteral('[1 2]')).toThrow(/offset 3/);
  });

  it('pyStrRepr quotes as Python repr does', () => {
    expect(pyStrRepr('time')).toBe("'time'");
    expect(pyStrRepr("it's")).toBe('"it\'s"');
    expect(pyStrRepr('a\tb\x01')).toBe("'a\\tb\\x01'");
  });
});
