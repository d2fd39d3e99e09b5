import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { deterministicHash, hashablize, hashText, lineageHash, base32 } from '../../src/core/lineage.js';
import { pyJsonDumps, pyJsonParse, pyFloatRepr, type PyJson } from '../../src/core/python/json.js';
import { PyFloat } from '../../src/core/python/float.js';
import { PyTuple } from '../../src/core/python/literal.js';
import type { Lineage } from '../../src/core/storage-api.js';
import { REFERENCE } from '../helpers/reference.js';

const DATA_DIRS = ['run012100', 'run012200', 'live012300', 'bench000333'].map((r) =>
  join(REFERENCE, r, 'strax_data'),
);

function metadataFiles(): { folder: string; hash: string; file: string }[] {
  const out: { folder: string; hash: string; file: string }[] = [];
  for (const dir of DATA_DIRS) {
    for (const folder of readdirSync(dir)) {
      const m = /^[^-]+-(.+)-([a-z0-9]{10})$/.exec(folder);
      if (!m) continue;
      const file = join(dir, folder, `${m[1]}-${m[2]}-metadata.json`);
      if (existsSync(file)) out.push({ folder, hash: m[2]!, file });
    }
  }
  return out;
}

describe('lineage hash of every reference folder', () => {
  const files = metadataFiles();
  it('finds the reference folders', () => expect(files.length).toBeGreaterThanOrEqual(45));
  for (const { folder, hash, file } of files) {
    it(`${folder}`, () => {
      const text = readFileSync(file, 'utf8');
      const md = pyJsonParse(text, file) as { [k: string]: PyJson };
      expect(lineageHash(md.lineage as unknown as Lineage)).toBe(hash);
      expect(md.lineage_hash).toBe(hash);
      // strax writes metadata with json.dumps(sort_keys=True, indent=4): we reproduce it exactly.
      expect(pyJsonDumps(md, { sortKeys: true, indent: 4 })).toBe(text);
    });
  }
});

describe('python float repr', () => {
  const cases: [number, string][] = [
    [28, '28.0'],
    [15000000, '15000000.0'],
    [6.75e-5, '6.75e-05'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [NaN, 'NaN'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [123456789012345680, '1.2345678901234568e+17'],
    [0.30000000000000004, '0.30000000000000004'],
    [1 / 3, '0.3333333333333333'],
  ];
  for (const [x, s] of cases) it(`${s}`, () => expect(pyFloatRepr(x)).toBe(s));
});

describe('json.dumps edge cases', () => {
  it('default separators, tuples, null and booleans', () => {
    expect(pyJsonDumps([1, new PyFloat(2), 'a', null, true, false, new PyTuple([1, [2]])])).toBe(
      '[1, 2.0, "a", null, true, false, [1, [2]]]',
    );
    expect(pyJsonDumps({ b: 1, a: { d: [], c: {} } }, { sortKeys: true })).toBe(
      '{"a": {"c": {}, "d": []}, "b": 1}',
    );
  });
  it('ensure_ascii escaping', () => {
    expect(pyJsonDumps('é "q" \\ \n\t\u0001\u007f😀')).toBe(
      '"\\u00e9 \\"q\\" \\\\ \\n\\t\\u0001\\u007f\\ud83d\\ude00"',
    );
  });
  it('indent=4 layout', () => {
    expect(pyJsonDumps({ a: [1, 2], b: {} }, { indent: 4 })).toBe(
      '{\n    "a": [\n        1,\n        2\n    ],\n    "b": {}\n}',
    );
  });
  it('large ints stay exact', () => {
    const v = pyJsonParse('[1765001000004383180, 12, 1.0, 1e5, -0.0, NaN, -Infinity]') as PyJson[];
    expect(v[0]).toBe(1765001000004383180n);
    expect(v[1]).toBe(12);
    expect(v[2]).toBeInstanceOf(PyFloat);
    expect(pyJsonDumps(v)).toBe('[1765001000004383180, 12, 1.0, 100000.0, -0.0, NaN, -Infinity]');
  });
  it('parse errors name the source', () => {
    expect(() => pyJsonParse('{"a": 1,', 'meta.json')).toThrow(/meta.json: invalid JSON/);
    expect(() => pyJsonParse('[1] x', 'meta.json')).toThrow(/trailing text/);
  });
  it('parse → dump round trip (property)', () => {
    const leaf = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true }).map((x) => new PyFloat(x)),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (v) => {
        const text = pyJsonDumps(v, { sortKeys: true });
        expect(pyJsonDumps(pyJsonParse(text), { sortKeys: true })).toBe(text);
        const indented = pyJsonDumps(v, { indent: 4 });
        expect(pyJsonDumps(pyJsonParse(indented), { indent: 4 })).toBe(indented);
      }),
      { numRuns: 200 },
    );
  });
});

describe('hashablize and deterministic_hash', () => {
  it('sorts mapping keys by code point, nested', () => {
    expect(hashText({ b: { y: 1, x: 2 }, a: [3, { z: null }] })).toBe(
      '[["a", [3, [["z", null]]]], ["b", [["x", 2], ["y", 1]]]]',
    );
    expect(hashText({ '\u{1F600}': 1, '\uffff': 2 })).toBe('[["\\uffff", 2], ["\\ud83d\\ude00", 1]]');
  });
  it('28 and 28.0 hash differently', () => {
    expect(deterministicHash({ a: 28 })).not.toBe(deterministicHash({ a: new PyFloat(28) }));
    expect(hashText(new Float64Array([1, 2.5]))).toBe('[1.0, 2.5]');
    expect(hashText(new Int32Array([1, 2]))).toBe('[1, 2]');
  });
  it('base32 as RFC 4648', () => {
    expect(base32(Buffer.from('foobar'))).toBe('MZXW6YTBOI======');
  });
  it('is sha1 → base32 → 10 lower-case characters of the JSON text', () => {
    const v = { x: [1, new PyFloat(0.5), 'é'], n: null, t: true };
    const digest = createHash('sha1').update(hashText(v)).digest();
    expect(deterministicHash(v)).toBe(base32(digest).slice(0, 10).toLowerCase());
    expect(
      hashablize(
        new Map([
          ['b', 1],
          ['a', 2],
        ]),
      ),
    ).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
