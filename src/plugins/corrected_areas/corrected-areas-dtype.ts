// Output fields of CorrectedAreas: cS1 and its leave-one-out variants, then cS2 and its AFT for
// every combination of S2 corrections straxen stores (encoded as six bits, one per correction).

import type { FieldSpec } from '../../core/dtype.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';

/** Bits, left to right: bias, xy, segee, pi, relcy, elife; "111111" is the fully corrected cS2. */
export const INTERMEDIATE_CS2S = [
  '111111',
  '100000',
  '110000',
  '101000',
  '111000',
  '110001',
  '000001',
  '010001',
  '011101',
  '101101',
  '110101',
  '111001',
  '111100',
  '111101',
  '111110',
] as const;

export const NAME_POSTFIXES = ['_bias', '_xy', '_segee', '_pi', '_relcy', '_elife'] as const;
const DESCRIPTIONS = ['peak bias', 'S2 xy', 'SEG/EE', 'photoionization', 'relative charge yield', 'elife'];

/** Field-name postfix of an encoding ('' for the fully corrected cS2). */
export function cs2Postfix(encoding: string): string {
  if (encoding === '111111') return '';
  let postfix = '_w';
  [...encoding].forEach((bit, i) => {
    if (bit === '1') postfix += NAME_POSTFIXES[i];
  });
  return postfix;
}

function cs2Description(encoding: string): string {
  if (encoding === '111111') return '';
  const inc: string[] = [],
    exc: string[] = [];
  [...encoding].forEach((bit, i) => (bit === '1' ? inc : exc).push(DESCRIPTIONS[i]!));
  return ` (including ${inc.join(' + ')}, excluding ${exc.join(' + ')})`;
}

export function correctedAreasFields(): FieldSpec[] {
  const fields: FieldSpec[] = [...TIME_FIELDS];
  const f = (name: string, title: string) => fields.push({ name, type: '<f4', title });
  for (const [pre, peak] of [
    ['', 'main'],
    ['alt_', 'alternate'],
  ] as const) {
    f(`${pre}cs1`, `Corrected area of ${peak} S1 [PE]`);
    f(`${pre}cs1_wo_timecorr`, `Corrected area of ${peak} S1 (without rel LY evolution correction) [PE]`);
    f(`${pre}cs1_wo_xyzcorr`, `Corrected area of ${peak} S1 (without xyz position correction) [PE]`);
    f(`${pre}cs1_wo_peakbiascorr`, `Corrected area of ${peak} S1 (without peak bias correction) [PE]`);
    for (const enc of INTERMEDIATE_CS2S) {
      const postfix = cs2Postfix(enc),
        desc = cs2Description(enc);
      f(`${pre}cs2${postfix}`, `Corrected area of ${peak} S2${desc} [PE]`);
      f(
        `${pre}cs2_area_fraction_top${postfix}`,
        `Fraction of area seen by the top PMT array for corrected ${peak} S2${desc}`,
      );
    }
  }
  return fields;
}
