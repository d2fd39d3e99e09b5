import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';
import { parseSelection, selectionMask } from '../../src/core/context/expression.js';

const dt = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'endtime', type: '<i8' },
  { name: 'area', type: '<f4' },
  { name: 'n_hits', type: '<i4' },
  { name: 'wf', type: '<f4', shape: [2] },
]);

function rows(area: number[], nHits: number[]): Records {
  const r = Records.empty(dt, area.length);
  r.f32('area').set(area);
  r.i32('n_hits').set(nHits);
  return r;
}

describe('selection expressions', () => {
  it('matches a direct evaluation (comparisons bind tighter than & and |)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -50, max: 300 }), fc.integer({ min: 0, max: 6 })), {
          maxLength: 40,
        }),
        (xs) => {
          const r = rows(
            xs.map((x) => x[0]),
            xs.map((x) => x[1]),
          );
          const m = selectionMask(r, 'area > 100 & n_hits >= 3 | ~(area < 0) & n_hits == 0');
          xs.forEach(([a, n], i) => expect(m[i]).toBe(+((a > 100 && n >= 3) || (!(a < 0) && n === 0))));
          const m2 = selectionMask(r, ['abs(area) * 2 - 1 >= 10', 'n_hits % 2 != 1']);
          xs.forEach(([a, n], i) => expect(m2[i]).toBe(+(Math.abs(a) * 2 - 1 >= 10 && n % 2 !== 1)));
        },
      ),
    );
  });

  it('accepts python spellings and refuses anything else', () => {
    const r = rows([1, 200], [5, 5]);
    expect(Array.from(selectionMask(r, 'not (area < 100) and n_hits > 2'))).toEqual([0, 1]);
    expect(Array.from(selectionMask(r, '(area > 1e2) or False'))).toEqual([0, 1]);
    expect(() => parseSelection('area.constructor')).toThrow(/cannot read/);
    expect(() => parseSelection('process(1)')).toThrow(/unknown function 'process'/);
    expect(() => parseSelection('area > 1 )')).toThrow(/unexpected '\)'/);
    expect(() => selectionMask(r, 'wf > 1')).toThrow(/several values per row/);
  });
});
