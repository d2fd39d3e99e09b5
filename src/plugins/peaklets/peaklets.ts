// straxen Peaklets (1.2.2): records → peaklets (hits clustered, summed, split at natural breaks,
// desaturated) and lone_hits (hits outside every peaklet, re-integrated). Each records chunk is
// processed alone, clipped to the chunk's [start, end).

import { bool, defineOptions, dict, float, int, list } from '../../core/option-schema.js';
import { Plugin, type ComputeRange, type InputsByKind } from '../../core/plugin.js';
import type { DType } from '../../core/dtype.js';
import type { Records } from '../../core/records.js';
import { pyFloat } from '../../core/python/float.js';
import { hitDtype, peakDtype } from '../../core/standard-dtypes.js';
import { findHits } from '../../kernels/hitfinder.js';
import { recordLinks } from '../../kernels/pulse-processing.js';
import { buildPeaklets, type PeakletOptions } from '../../kernels/peaklet-building.js';
import { alignedBase, hitRecords, peaksToRecords, recordArrays } from '../../core/kernel-columns.js';
import {
  diagnose_sorting,
  gain_model,
  hit_min_amplitude,
  n_top_pmts,
  n_tpc_pmts,
} from '../shared-options.js';

/** Split thresholds: [unused, S1 curve, S2 curve], each (log10(area), threshold) points. */
type GofTable = readonly [
  null,
  readonly (readonly [number, number])[],
  readonly (readonly [number, number])[],
];

const OPTIONS = defineOptions({
  peaklet_gap_threshold: int(
    700,
    'Gap [ns] between consecutive hits (of any channel) that ends one peaklet and starts the next. Larger values merge more hits into one peaklet; at most 1000 ns (the safe break of raw_records).',
    { min: 0 },
  ),
  peak_left_extension: int(
    30,
    'Time [ns] a peaklet reaches before its first hit, so the rising edge of the first photon is kept.',
    { min: 0 },
  ),
  peak_right_extension: int(
    200,
    'Time [ns] a peaklet reaches after its last hit, so the tail of the last photon is kept.',
    { min: 0 },
  ),
  peak_min_pmts: int(
    2,
    'Fewest channels that must have a hit for a hit cluster to become a peaklet; hits of smaller clusters become lone hits. At most 2.',
    { min: 1 },
  ),
  peak_split_gof_threshold: list<GofTable>(
    [
      null,
      [
        [0.5, pyFloat(1.0)],
        [pyFloat(6.0), 0.4],
      ],
      [
        [2.5, pyFloat(1.0)],
        [5.625, 0.4],
      ],
    ],
    'When natural breaks splits a peaklet: [unused, S1 curve, S2 curve], each a list of (log10(area / PE), threshold) points; a split happens where the goodness of split exceeds the curve. Lower curves split more.',
  ),
  peak_split_filter_wing_width: int(
    70,
    'Half-width [ns] of the moving-average filter applied to the sum waveform before natural-breaks splitting of small peaklets.',
  ),
  peak_split_min_area: float(
    pyFloat(40.0),
    'Peaklets below this area [PE] are never split by natural breaks.',
  ),
  peak_split_iterations: int(
    20,
    'How many times a peaklet may be split again after splitting (recursion depth of natural breaks).',
    { min: 0 },
  ),
  diagnose_sorting,
  gain_model,
  tight_coincidence_window_left: int(
    50,
    'Time [ns] before the peaklet maximum within which a hit counts towards the tight coincidence.',
  ),
  tight_coincidence_window_right: int(
    50,
    'Time [ns] after the peaklet maximum within which a hit counts towards the tight coincidence.',
  ),
  n_tpc_pmts,
  n_top_pmts,
  store_data_top: bool(
    true,
    'Also store the sum waveform of the top array alone (data_top); switch off to save space when no one needs it.',
  ),
  store_data_start: bool(
    true,
    'Also store the first samples of the waveform at full time resolution (data_start), before downsampling.',
  ),
  saturation_correction_on: bool(
    true,
    'Repair the waveforms of channels whose digitiser saturated, scaling them from unsaturated channels of the same peaklet.',
  ),
  saturation_reference_length: int(
    100,
    'Longest stretch of samples [samples] before saturation that is used as the reference shape when repairing a saturated channel.',
  ),
  saturation_min_reference_length: int(
    20,
    'Shortest reference stretch [samples]: a saturated channel with less unsaturated signal before it is left as recorded.',
  ),
  peaklet_max_duration: int(
    10000000,
    'Longest peaklet [ns]; longer hit clusters are cut. Bounds memory for pathological clusters (e.g. after a muon).',
    { min: 1 },
  ),
  channel_map: dict<Readonly<Record<string, readonly number[]>>>(
    undefined,
    'Channel range of each subdetector as {name: [first, last]}; the peaklets use the tpc range.',
    { track: false, defaultFactory: () => ({ tpc: [0, 493] }) },
  ),
  hit_min_amplitude,
});

export class Peaklets extends Plugin<typeof OPTIONS> {
  /** Lets the engine compute chunks on worker threads. */
  static readonly moduleUrl = import.meta.url;
  override readonly provides = ['peaklets', 'lone_hits'] as const;
  override readonly dependsOn = ['records'] as const;
  override readonly dataKind = { peaklets: 'peaklets', lone_hits: 'lone_hits' };
  override readonly version = '1.2.2';
  override readonly parallel = true;
  override readonly compressor = 'zstd';
  override readonly chunkTargetSizeMb = 2000;

  override readonly options = OPTIONS;

  override inferDtype(): Readonly<Record<string, DType>> {
    return {
      peaklets: peakDtype({
        nChannels: this.cfg.n_tpc_pmts,
        storeDataTop: !!this.cfg.store_data_top,
        storeDataStart: !!this.cfg.store_data_start,
      }),
      lone_hits: hitDtype(),
    };
  }

  override setup(): void {
    const minPmts = this.cfg.peak_min_pmts;
    if (minPmts > 2) {
      throw new Error(
        `Peaklets: peak_min_pmts ${minPmts} > 2 is not supported (it interferes with the lone_hit definition); use 2 or less`,
      );
    }
    const gap = this.cfg.peaklet_gap_threshold;
    if (gap > 1000) {
      throw new Error(
        `Peaklets: peaklet_gap_threshold ${gap} ns exceeds the 1000 ns safe break of raw_records; use at most 1000`,
      );
    }
    const gains = this.cfg.gain_model;
    if (!gains || typeof gains !== 'object' || typeof (gains as ArrayLike<number>).length !== 'number') {
      throw new Error('Peaklets: gain_model must resolve to an array of PE per ADC·sample (one per channel)');
    }
  }

  private peakletOptions(): PeakletOptions {
    const gof = this.cfg.peak_split_gof_threshold;
    const tpc = this.cfg.channel_map['tpc'] ?? [0, this.cfg.n_tpc_pmts - 1];
    return {
      nChannels: this.cfg.n_tpc_pmts,
      nTopChannels: this.cfg.n_top_pmts,
      gapThreshold: this.cfg.peaklet_gap_threshold,
      leftExtension: this.cfg.peak_left_extension,
      rightExtension: this.cfg.peak_right_extension,
      minChannels: this.cfg.peak_min_pmts,
      maxDuration: this.cfg.peaklet_max_duration,
      s1GofCurve: gof[1],
      s2GofCurve: gof[2],
      splitFilterWingWidth: this.cfg.peak_split_filter_wing_width,
      splitMinArea: this.cfg.peak_split_min_area,
      splitIterations: this.cfg.peak_split_iterations,
      saturationCorrection: !!this.cfg.saturation_correction_on,
      saturationReferenceLength: this.cfg.saturation_reference_length,
      saturationMinReferenceLength: this.cfg.saturation_min_reference_length,
      tightLeft: this.cfg.tight_coincidence_window_left,
      tightRight: this.cfg.tight_coincidence_window_right,
      channelRange: [tpc[0]!, tpc[1]!],
      storeDataTop: !!this.cfg.store_data_top,
      storeDataStart: !!this.cfg.store_data_start,
    };
  }

  override compute(inputs: InputsByKind, range: ComputeRange): Record<string, Records> {
    const rec = inputs['records']!;
    const toPe = this.cfg.gain_model;
    const dt = rec.length > 0 ? rec.i16('dt')[0]! : 10;
    const base = alignedBase(range.start, dt);
    const records = recordArrays(rec, base);
    const hits = findHits({ ...records, baseline_rms: rec.f32('baseline_rms') }, this.cfg.hit_min_amplitude);
    const links = recordLinks({ ...records, record_i: rec.i16('record_i') }, records.samplesPerRecord);
    const out = buildPeaklets(records, hits, links.previous, links.next, toPe, this.peakletOptions(), {
      start: Number(range.start - base),
      end: Number(range.end - base),
      epochZero: -Number(base),
    });
    const dtypes = this.inferDtype();
    return {
      peaklets: peaksToRecords(out.peaklets, dtypes['peaklets']!, base),
      lone_hits: hitRecords(out.loneHits, base, dtypes['lone_hits']!),
    };
  }
}
