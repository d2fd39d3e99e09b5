// straxen CorrectedAreas: cS1 and cS2 of the main and alternate S1/S2 with light-collection
// maps, peak-bias maps, light/charge yield, SEG/EE, photoionisation and electron lifetime
// corrections, plus the cS2 variants that each include only some corrections.

import { detectorMapOption } from '../../core/detector-map.js';
import { DType } from '../../core/dtype.js';
import { Plugin, type InputsByKind, type OptionSpec } from '../../core/plugin.js';
import { pyFloat } from '../../core/python/float.js';
import { Records } from '../../core/records.js';
import {
  correctedS1,
  correctedS2,
  elifeCorrection,
  lightYieldCorrection,
  seRegionFactor,
  type S2Factors,
} from '../../kernels/area-corrections.js';
import { storeInto, type NpValue } from '../../kernels/numpy-arith.js';
import { numericOption } from '../events/options.js';
import { DEFAULT_RECONSTRUCTION_ALGORITHM } from '../event_positions/event-positions.js';
import { INTERMEDIATE_CS2S, correctedAreasFields, cs2Postfix } from './corrected-areas-dtype.js';

const XEDOCS_PARTITIONED = (schema: string) =>
  `take://objects-to-dict://xedocs://${schema}?as_list=True&key_attr=partition&partition=all_tpc&run_id=plugin.run_id&sort=partition&take=all_tpc&value_attr=value&version=ONLINE`;

const url = (name: string, def: string, help: string): OptionSpec => ({
  name,
  default: def,
  type: 'any',
  help,
});

/** A per-region option value: one number for both regions, or {ab, cd}. */
function regionValue(plugin: Plugin, name: string, region: 'ab' | 'cd'): number {
  const v = plugin.config[name];
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && region in v) return Number((v as Record<string, unknown>)[region]);
  if (typeof v === 'string')
    throw new Error(
      `${plugin.className}: option ${name} is still '${v}'; resolve it to a number (or {ab, cd}) first`,
    );
  throw new Error(`${plugin.className}: option ${name} must be a number or a dict with keys ab and cd`);
}

export class CorrectedAreas extends Plugin {
  readonly provides: readonly string[] = ['corrected_areas'];
  override readonly dependsOn: readonly string[] = ['event_basics', 'event_positions'];
  override readonly dataKind = 'events';
  override readonly version = '0.6.0';
  override readonly options: readonly OptionSpec[] = [
    url(
      'elife',
      'xedocs://electron_lifetimes?attr=value&run_id=plugin.run_id&version=ONLINE',
      'electron lifetime in [ns]',
    ),
    DEFAULT_RECONSTRUCTION_ALGORITHM,
    url(
      's1_xyz_map',
      'xedocs://s1_xyz_maps?algorithm=plugin.default_reconstruction_algorithm&attr=map&run_id=plugin.run_id&version=ONLINE',
      'S1 light collection map (x, y, z)',
    ),
    url(
      's2_xy_map',
      'xedocs://s2_xy_maps?algorithm=plugin.default_reconstruction_algorithm&attr=map&run_id=plugin.run_id&version=ONLINE',
      'S2 light collection map (x, y)',
    ),
    url(
      'avg_se_gain',
      'xedocs://avg_se_gains?attr=value&run_id=plugin.run_id&version=ONLINE',
      'Nominal single electron (SE) gain in PE / electron extracted. Data will be corrected to this value',
    ),
    url(
      'se_gain',
      XEDOCS_PARTITIONED('se_gains'),
      'Actual SE gain for a given run (allows for time dependence)',
    ),
    url(
      'rel_extraction_eff',
      XEDOCS_PARTITIONED('rel_extraction_effs'),
      'Relative extraction efficiency for this run (allows for time dependence)',
    ),
    { name: 'rel_charge_yield', default: 1, type: 'any', help: 'Relative charge yield for SR2 only' },
    url(
      'rel_light_yield',
      'xedocs://relative_light_yield?attr=value&run_id=plugin.run_id&version=ONLINE',
      'Relative light yield (allows for time dependence)',
    ),
    {
      name: 'b_rel_light_yield',
      default: pyFloat(0.0),
      type: 'any',
      help: 'b parameter for z-dependent relative light yield correction',
    },
    {
      name: 'slope_rel_light_yield',
      default: pyFloat(0.0),
      type: 'any',
      help: 'Slope parameter for z-dependent relative light yield correction',
    },
    {
      name: 'single_electron_gain_partition',
      default: { linear: 28, circular: 60 },
      type: 'any',
      help: 'Two distinct patterns of evolution of single electron corrections between AB and CD. Distinguish thanks to linear and circular regions',
    },
    {
      name: 'cs2_bottom_top_ratio_correction',
      default: 1,
      type: 'any',
      help: 'Scaling factor for cS2 AFT correction due to photoionization',
    },
    url(
      's1_bias_map',
      'itp_map://resource://xedocs://peak_reconstruction_bias?attr=value&fmt=json&run_id=plugin.run_id&signal=s1&version=ONLINE',
      'Interpolation map for S1 peak bias correction. Bias is defined as (reconstructed / raw) - 1.',
    ),
    url(
      's2_bias_map',
      'itp_map://resource://xedocs://peak_reconstruction_bias?attr=value&fmt=json&run_id=plugin.run_id&signal=s2&version=ONLINE',
      'Interpolation map for S2 peak bias correction. Bias is defined as (reconstructed / raw) - 1.',
    ),
    {
      name: 'check_s2_only_aft',
      default: true,
      type: 'bool',
      track: false,
      help: 'Whether to check NaN AFT of S2-Only events',
    },
  ];

  override inferDtype(): DType {
    return DType.of(correctedAreasFields());
  }

  override compute(inputs: InputsByKind): Records {
    const ev = inputs['events'];
    if (!ev) throw new Error('CorrectedAreas: needs event_basics and event_positions');
    const n = ev.length;
    const out = Records.empty(this.inferDtype(), n);
    out.i64('time').set(ev.i64('time'));
    out.i64('endtime').set(ev.i64('endtime'));
    this.correctS1(ev, out);
    this.correctS2(ev, out);
    if (this.config['check_s2_only_aft'] !== false) {
      const s1 = ev.f32('s1_area'),
        cs2 = out.f32('cs2'),
        aft = out.f32('cs2_area_fraction_top');
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(s1[i]!) && !Number.isNaN(cs2[i]!) && Number.isNaN(aft[i]!)) {
          throw new Error(
            'CorrectedAreas: NaN AFT for an S2-only event; even without cS1 the AFT should be defined (check the S2 maps)',
          );
        }
      }
    }
    return out;
  }

  private correctS1(ev: Records, out: Records): void {
    const biasMap = detectorMapOption(this, 's1_bias_map');
    const xyzMap = detectorMapOption(this, 's1_xyz_map');
    // Both S1s are corrected at the main interaction position.
    const z = ev.f32('z');
    const xyz = xyzMap.evaluate([ev.f32('x'), ev.f32('y'), z]);
    const time = lightYieldCorrection(
      z,
      numericOption(this, 'rel_light_yield'),
      numericOption(this, 'slope_rel_light_yield'),
      numericOption(this, 'b_rel_light_yield'),
    );
    for (const pre of ['', 'alt_']) {
      const area = ev.f32(`${pre}s1_area`);
      const bias = plusOne(biasMap.evaluate([area]));
      const c = correctedS1(area, bias, xyz, time);
      storeInto(out.f32(`${pre}cs1`), c.cs1);
      storeInto(out.f32(`${pre}cs1_wo_peakbiascorr`), c.woPeakBias);
      storeInto(out.f32(`${pre}cs1_wo_xyzcorr`), c.woXyz);
      storeInto(out.f32(`${pre}cs1_wo_timecorr`), c.woTime);
    }
  }

  private correctS2(ev: Records, out: Records): void {
    const biasMap = detectorMapOption(this, 's2_bias_map');
    const xyMap = detectorMapOption(this, 's2_xy_map');
    const [topName, bottomName] = xyMap.mapNames.length > 1 ? ['map_top', 'map_bottom'] : ['map', 'map'];
    const partition = this.config['single_electron_gain_partition'] as
      { linear?: number; circular?: number } | undefined;
    if (!partition || typeof partition.linear !== 'number' || typeof partition.circular !== 'number') {
      throw new Error(
        'CorrectedAreas: single_electron_gain_partition must be {"linear": number, "circular": number}',
      );
    }
    const segee = (r: 'ab' | 'cd') =>
      (regionValue(this, 'se_gain', r) / regionValue(this, 'avg_se_gain', r)) *
      regionValue(this, 'rel_extraction_eff', r);
    const elife = numericOption(this, 'elife');
    const pi = numericOption(this, 'cs2_bottom_top_ratio_correction');
    const relcy = numericOption(this, 'rel_charge_yield');
    for (const pre of ['', 'alt_']) {
      const area = ev.f32(`${pre}s2_area`),
        aft = ev.f32(`${pre}s2_area_fraction_top`);
      const x = ev.f32(`${pre}s2_x`),
        y = ev.f32(`${pre}s2_y`);
      const all: S2Factors = {
        bias: plusOne(biasMap.evaluate([area])),
        xyTop: xyMap.evaluate([x, y], topName),
        xyBottom: xyMap.evaluate([x, y], bottomName),
        segee: seRegionFactor(x, y, partition.linear, partition.circular, segee('ab'), segee('cd')),
        photoionization: pi,
        relativeChargeYield: relcy,
        elife: elifeCorrection(ev.f32(pre ? 'alt_s2_interaction_drift_time' : 'drift_time'), elife),
      };
      for (const enc of INTERMEDIATE_CS2S) {
        const on = (i: number) => enc[i] === '1';
        const one = 1.0;
        const f: S2Factors = {
          bias: on(0) ? all.bias : one,
          xyTop: on(1) ? all.xyTop : one,
          xyBottom: on(1) ? all.xyBottom : one,
          segee: on(2) ? all.segee : one,
          photoionization: on(3) ? all.photoionization : one,
          relativeChargeYield: on(4) ? all.relativeChargeYield : one,
          elife: on(5) ? all.elife : one,
        };
        const r = correctedS2(area, aft, f);
        const postfix = cs2Postfix(enc);
        storeInto(out.f32(`${pre}cs2${postfix}`), r.cs2);
        storeInto(out.f32(`${pre}cs2_area_fraction_top${postfix}`), r.aft);
      }
    }
  }
}

/** 1 + map values (float64, as numpy adds the Python int to the float64 array). */
function plusOne(v: Float64Array): NpValue {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = 1 + v[i]!;
  return out;
}
