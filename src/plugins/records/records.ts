// straxen PulseProcessing: raw_records → records (baselined, flipped, integrated, zeroed away
// from hits), veto_regions (software high-energy veto) and pulse_counts (per-chunk statistics).

import { Plugin, SaveWhen, type ComputeRange, type InputsByKind } from '../../core/plugin.js';
import { any, bool, defineOptions, float, int, list } from '../../core/option-schema.js';
import type { DType } from '../../core/dtype.js';
import { Records, type Columns } from '../../core/records.js';
import { hitRecords, rawRecordColumns, recordsFromColumns } from '../../core/kernel-columns.js';
import { hitDtype, recordDtype, DEFAULT_RECORD_LENGTH } from '../../core/standard-dtypes.js';
import { baselinedRecordsAndHits } from '../../kernels/records-pass.js';
import { findHits } from '../../kernels/hitfinder.js';
import type { HitArrays } from '../../kernels/hit-arrays.js';
import {
  checkOverlaps,
  cutOutsideHitsInPlace,
  REDUCTION_HITS_ONLY,
  rowsBelowChannel,
  zeroOutOfBounds,
  type RecordColumns,
} from '../../kernels/pulse-processing.js';
import { countPulses } from '../../kernels/pulse-counts.js';
import { softwareHeVeto } from '../../kernels/he-veto.js';
import { pulseCountDtype } from './pulse-counts-dtype.js';
import { hit_min_amplitude, n_tpc_pmts } from '../shared-options.js';

const OPTIONS = defineOptions({
  hev_gain_model: any<ArrayLike<number> | null>(
    null,
    'Per-channel gains [PE per ADC count and sample] used only by the software high-energy veto; null switches the veto off.',
  ),
  baseline_samples: int(
    40,
    'Samples at the start of each pulse averaged to estimate its baseline. Fewer samples follow a drifting baseline better but are noisier.',
    { min: 1 },
  ),
  tail_veto_threshold: any<unknown>(
    0,
    'Area [PE] of a high-energy peak that starts the software veto of the pulses after it; 0, null or false leaves the veto off.',
  ),
  tail_veto_duration: int(3000000, 'How long [ns] after a high-energy peak the veto removes pulses.', {
    min: 0,
  }),
  tail_veto_resolution: int(
    1000,
    'Bin width [ns] of the coarse sum waveform the veto searches for high-energy peaks.',
  ),
  tail_veto_pass_fraction: float(
    0.05,
    'Inside a veto, a stretch whose summed amplitude is above this fraction of the vetoing peak maximum is kept (passes the veto).',
  ),
  tail_veto_pass_extend: int(
    3,
    'Bins (of tail_veto_resolution) added on both sides of each stretch that passes the veto.',
  ),
  max_veto_value: any<number | null>(
    null,
    'Area [PE] above which a high-energy peak is kept whole instead of vetoed (e.g. to keep muons); null vetoes every size.',
  ),
  pmt_pulse_filter: any<unknown>(
    null,
    'Linear filter for pulse waveforms; straxts does not filter, so only null is accepted.',
  ),
  save_outside_hits: list<readonly number[]>(
    [3, 20],
    'Samples kept [left, right] around every hit; the rest of each record is set to zero to save space. Widen it to study pulse shapes.',
  ),
  n_tpc_pmts,
  check_raw_record_overlaps: bool(
    true,
    'Stop with an error when two raw_records pulses of one channel overlap in time (a DAQ or reader fault).',
    { track: false },
  ),
  allow_sloppy_chunking: bool(
    false,
    'Give fragments whose first record lies in another chunk a default baseline instead of stopping; only for data chunked without safe breaks.',
    { track: false },
  ),
  hit_min_amplitude,
});

const cols = (x: object): Columns => x as Columns;

/** Python's truth value of an option value (empty lists and 0 are false). */
function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (ArrayBuffer.isView(v)) return (v as unknown as ArrayLike<unknown>).length > 0;
  return !!(v instanceof Object && 'valueOf' in v ? (v as { valueOf(): unknown }).valueOf() : v);
}

export class PulseProcessing extends Plugin<typeof OPTIONS> {
  /** Lets the engine compute chunks on worker threads. */
  static readonly moduleUrl = import.meta.url;
  override readonly provides = ['records', 'veto_regions', 'pulse_counts'] as const;
  override readonly dependsOn = ['raw_records'] as const;
  override readonly dataKind = {
    records: 'records',
    veto_regions: 'veto_regions',
    pulse_counts: 'pulse_counts',
  };
  override readonly version = '0.2.3';
  override readonly parallel = true;
  override readonly compressor = 'zstd';
  override readonly rechunkOnSave = { records: false, veto_regions: true, pulse_counts: true };
  override readonly saveWhen = {
    records: SaveWhen.TARGET,
    veto_regions: SaveWhen.ALWAYS,
    pulse_counts: SaveWhen.ALWAYS,
  };

  override readonly options = OPTIONS;

  private recordLength(): number {
    const raw = this.depDtypes['raw_records'];
    return raw?.has('data') ? raw.field('data').shape[0]! : DEFAULT_RECORD_LENGTH;
  }

  override inferDtype(): Readonly<Record<string, DType>> {
    return {
      records: recordDtype(this.recordLength()),
      veto_regions: hitDtype(),
      pulse_counts: pulseCountDtype(this.cfg.n_tpc_pmts),
    };
  }

  override setup(): void {
    if (pyTruthy(this.cfg.pmt_pulse_filter)) {
      throw new Error(
        'PulseProcessing: pmt_pulse_filter (linear pulse filtering) is not supported by straxts; set it to None (null)',
      );
    }
  }

  override compute(inputs: InputsByKind, range: ComputeRange): Record<string, Records> {
    // The kernels see times as offsets from the chunk's start.
    const base = range.start;
    const raw = rawRecordColumns(inputs['raw_records']!, base);
    const nTpc = this.cfg.n_tpc_pmts;
    const spr = this.recordLength();
    if (this.cfg.check_raw_record_overlaps ?? true) checkOverlaps(raw, 3000, base);

    const hevGains = this.cfg.hev_gain_model;
    const hev = hevGains != null && pyTruthy(this.cfg.tail_veto_threshold);
    const thresholds = this.cfg.hit_min_amplitude;
    // raw_to_records, zero_out_of_bounds, baseline, integrate (and find_hits, unless the veto
    // removes records first) in one pass
    const pass = baselinedRecordsAndHits(
      raw,
      rowsBelowChannel(raw.channel, nTpc),
      {
        baselineSamples: this.cfg.baseline_samples,
        allowSloppyChunking: !!this.cfg.allow_sloppy_chunking,
        flip: true,
      },
      hev ? null : { minAmplitude: thresholds },
    );
    let r: RecordColumns = pass.records;

    const pulseCounts = this.pulseCounts(r, nTpc, range);

    let veto: HitArrays | null = null;
    if (r.time.length > 0 && hev) {
      const res = softwareHeVeto(r, hevGains, Number(range.end - base), {
        areaThreshold: Number(this.cfg.tail_veto_threshold),
        vetoLength: this.cfg.tail_veto_duration,
        vetoRes: this.cfg.tail_veto_resolution,
        passVetoExtend: this.cfg.tail_veto_pass_extend,
        passVetoFraction: this.cfg.tail_veto_pass_fraction,
        maxVetoValue: this.cfg.max_veto_value ?? null,
      });
      r = res.kept;
      veto = res.veto;
    }

    if (r.time.length > 0) {
      const hits = pass.hits && !hev ? pass.hits : findHits(r, thresholds);
      const [le, re] = this.cfg.save_outside_hits;
      // r.data is this call's own array (made by the pass or the veto): cut in place.
      cutOutsideHitsInPlace(r, r.data, hits, le!, re!);
      r.reduction_level.fill(REDUCTION_HITS_ONLY);
      zeroOutOfBounds(r.length, r.data);
    }

    const vetoDtype = hitDtype();
    const vetoRecords = veto ? hitRecords(veto, base, vetoDtype) : Records.empty(vetoDtype, 0);
    return {
      records: recordsFromColumns(r, recordDtype(spr), base),
      veto_regions: vetoRecords,
      pulse_counts: pulseCounts,
    };
  }

  private pulseCounts(r: RecordColumns, nTpc: number, range: ComputeRange): Records {
    const dtype = pulseCountDtype(nTpc);
    const pc = countPulses(r, nTpc, -Number(range.start));
    if (!pc) return Records.empty(dtype, 0);
    return new Records(
      dtype,
      1,
      cols({
        time: BigInt64Array.of(range.start),
        endtime: BigInt64Array.of(range.end),
        ...pc,
      }),
    );
  }
}
