// straxen CorrectedAreas: cS1 and cS2 of the main and alternate S1/S2 with light-collection
// maps, peak-bias maps, light/charge yield, SEG/EE, photoionisation and electron lifetime
// corrections, plus the cS2 variants that each include only some corrections.

import { checkDetectorMap, type DetectorMap } from '../../core/detector-map.js';
import { DType } from '../../core/dtype.js';
import { Plugin, type InputsByKind } from '../../core/plugin.js';
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
import { INTERMEDIATE_CS2S, correctedAreasFields, cs2Postfix } from './corrected-areas-dtype.js';
import { any, bool, defineOptions, num } from '../../core/option-schema.js';
import { default_reconstruction_algorithm } from '../shared-options.js';

const XEDOCS_PARTITIONED = (schema: string) =>
  `take://objects-to-dict://xedocs://${schema}?as_list=True&key_attr=partition&partition=all_tpc&run_id=plugin.run_id&sort=partition&take=all_tpc&value_attr=value&version=ONLINE`;

/** A value that may differ between the AB and CD regions of the TPC (straxen's partitions). */
type RegionValue = number | Readonly<Record<string, number>>;

function regionValue(v: RegionValue, region: 'ab' | 'cd', what: string): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && region in v) return Number(v[region]);
  throw new Error(`CorrectedAreas: option ${what} must be a number or a dict with keys ab and cd`);
}

const OPTIONS = defineOptions({
  elife: num(
    'xedocs://electron_lifetimes?attr=value&run_id=plugin.run_id&version=ONLINE',
    'Electron lifetime [ns] in the liquid: S2s are scaled up by exp(drift time / lifetime) for the electrons lost to impurities. From the corrections for the run.',
  ),
  default_reconstruction_algorithm,
  s1_xyz_map: any<DetectorMap>(
    'xedocs://s1_xyz_maps?algorithm=plugin.default_reconstruction_algorithm&attr=map&run_id=plugin.run_id&version=ONLINE',
    'Relative S1 light collection efficiency at each (x, y, z); S1s are divided by it.',
  ),
  s2_xy_map: any<DetectorMap>(
    'xedocs://s2_xy_maps?algorithm=plugin.default_reconstruction_algorithm&attr=map&run_id=plugin.run_id&version=ONLINE',
    'Relative S2 light collection efficiency at each (x, y), for the top and bottom arrays; S2s are divided by it.',
  ),
  avg_se_gain: any<RegionValue>(
    'xedocs://avg_se_gains?attr=value&run_id=plugin.run_id&version=ONLINE',
    'Reference single-electron gain [PE per extracted electron] that corrected S2s are scaled to.',
  ),
  se_gain: any<RegionValue>(
    XEDOCS_PARTITIONED('se_gains'),
    'Single-electron gain [PE per extracted electron] of this run, one number or one per TPC region (ab, cd); follows changes over time.',
  ),
  rel_extraction_eff: any<RegionValue>(
    XEDOCS_PARTITIONED('rel_extraction_effs'),
    'Electron extraction efficiency of this run relative to the reference, one number or one per TPC region (ab, cd).',
  ),
  rel_charge_yield: num(
    1,
    'Charge yield relative to the reference period; S2s are divided by it (1: no change).',
  ),
  rel_light_yield: num(
    'xedocs://relative_light_yield?attr=value&run_id=plugin.run_id&version=ONLINE',
    'Light yield of this run relative to the reference; S1s are divided by it. From the corrections for the run.',
  ),
  b_rel_light_yield: num(
    pyFloat(0.0),
    'Offset of the linear depth dependence of the relative light yield (0: none).',
  ),
  slope_rel_light_yield: num(
    pyFloat(0.0),
    'Slope [per cm] of the linear depth dependence of the relative light yield (0: none).',
  ),
  single_electron_gain_partition: any<{ linear?: number; circular?: number }>(
    { linear: 28, circular: 60 },
    'Where the TPC regions of the single-electron gain meet: {linear: ..., circular: ...} [cm] of the straight and circular boundaries between the ab and cd regions.',
  ),
  cs2_bottom_top_ratio_correction: num(
    1,
    'Factor applied to the bottom-array part of S2s to undo the extra light from photoionisation (1: none).',
  ),
  s1_bias_map: any<DetectorMap>(
    'itp_map://resource://xedocs://peak_reconstruction_bias?attr=value&fmt=json&run_id=plugin.run_id&signal=s1&version=ONLINE',
    'Relative bias of reconstructed S1 areas (reconstructed / true - 1) as a function of area; S1s are divided by 1 + bias.',
  ),
  s2_bias_map: any<DetectorMap>(
    'itp_map://resource://xedocs://peak_reconstruction_bias?attr=value&fmt=json&run_id=plugin.run_id&signal=s2&version=ONLINE',
    'Relative bias of reconstructed S2 areas (reconstructed / true - 1) as a function of area; S2s are divided by 1 + bias.',
  ),
  check_s2_only_aft: bool(
    true,
    'Stop with an error when an event without S1 gets an undefined corrected area fraction top (a sign of broken S2 maps).',
    { track: false },
  ),
});

export class CorrectedAreas extends Plugin<typeof OPTIONS> {
  readonly provides: readonly string[] = ['corrected_areas'];
  override readonly dependsOn: readonly string[] = ['event_basics', 'event_positions'];
  override readonly dataKind = 'events';
  override readonly version = '0.6.0';
  override readonly options = OPTIONS;

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
    if (this.cfg.check_s2_only_aft !== false) {
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
    const biasMap = checkDetectorMap(this.cfg.s1_bias_map, 's1_bias_map of CorrectedAreas');
    const xyzMap = checkDetectorMap(this.cfg.s1_xyz_map, 's1_xyz_map of CorrectedAreas');
    // Both S1s are corrected at the main interaction position.
    const z = ev.f32('z');
    const xyz = xyzMap.evaluate([ev.f32('x'), ev.f32('y'), z]);
    const time = lightYieldCorrection(
      z,
      this.cfg.rel_light_yield,
      this.cfg.slope_rel_light_yield,
      this.cfg.b_rel_light_yield,
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
    const biasMap = checkDetectorMap(this.cfg.s2_bias_map, 's2_bias_map of CorrectedAreas');
    const xyMap = checkDetectorMap(this.cfg.s2_xy_map, 's2_xy_map of CorrectedAreas');
    const [topName, bottomName] = xyMap.mapNames.length > 1 ? ['map_top', 'map_bottom'] : ['map', 'map'];
    const partition = this.cfg.single_electron_gain_partition;
    if (!partition || typeof partition.linear !== 'number' || typeof partition.circular !== 'number') {
      throw new Error(
        'CorrectedAreas: single_electron_gain_partition must be {"linear": number, "circular": number}',
      );
    }
    const segee = (r: 'ab' | 'cd') =>
      (regionValue(this.cfg.se_gain, r, 'se_gain') / regionValue(this.cfg.avg_se_gain, r, 'avg_se_gain')) *
      regionValue(this.cfg.rel_extraction_eff, r, 'rel_extraction_eff');
    const elife = this.cfg.elife;
    const pi = this.cfg.cs2_bottom_top_ratio_correction;
    const relcy = this.cfg.rel_charge_yield;
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
