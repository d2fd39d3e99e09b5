import { describe, expect, it } from 'vitest';
import { parseCommentedJson } from '../../src/config/resources.js';

describe('parseCommentedJson (commentjson + Python json dialect)', () => {
  it('drops # and // comments outside strings only', () => {
    const v = parseCommentedJson(
      '{\n  "a": 1, # one\n  "b": "x # not a comment // either" // two\n}',
      't.json',
    );
    expect(v).toEqual({ a: 1, b: 'x # not a comment // either' });
  });

  it('reads NaN and Infinity as Python does, leaving them alone inside strings', () => {
    const v = parseCommentedJson(
      '{"v": [NaN, Infinity, -Infinity, 1.5, 2], "s": "a NaN, b", "big": 12345678901234567890}',
      't.json',
    ) as {
      v: number[];
      s: string;
      big: number;
    };
    expect(Number.isNaN(v.v[0]!)).toBe(true);
    expect(v.v.slice(1)).toEqual([Infinity, -Infinity, 1.5, 2]);
    expect(v.s).toBe('a NaN, b');
    expect(v.big).toBe(Number('12345678901234567890')); // a JSON integer past 2^53 reads as the nearest double
  });

  it('names the resource and the line of bad JSON', () => {
    expect(() => parseCommentedJson('{\n"a": 1,\n"b": }', 'map.json')).toThrow(
      /^resource map\.json: invalid JSON at line 3/,
    );
  });
});
