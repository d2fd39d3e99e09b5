// straxen PulseProcessing: raw_records → records (baselined, flipped, integrated, zeroed away
// from hits), veto_regions (software high-energy veto) and pulse_counts (per-chunk statistics).

import {
  Plugin,
  SaveWhen,
  type ComputeRange,
  type InputsByKind,
  type OptionSpec,
} from '../../core/plugin.js';
import type { DType } from '../../core/dtype.js';
import { Records, type Columns } from '../../core/records.js';
import { hitDtype, recordDtype, DEFAULT_RECORD_LENGTH } from '../../core/standard-dtypes.js';
import { baselinedRecordsAndHits } from '../../kernels/records-pass.js';
import { findHits } from '../../kernels/hitfinder.js';
import type { HitColumns } from '../../kernels/hit-arrays.js';
import {
  checkOverlaps,
  cutOutsideHits,
  REDUCTION_HITS_ONLY,
  rowsBelowChannel,
  zeroOutOfBounds,
  type RawRecordColumns,
  type RecordColumns,
} from '../../kernels/pulse-processing.js';
import { countPulses } from '../../kernels/pulse-counts.js';
import { softwareHeVeto } from '../../kernels/he-veto.js';
import { pulseCountDtype } from './pulse-counts-dtype.js';

const HIT_THRESHOLDS_URL =
  'list-to-array://xedocs://hit_thresholds?as_list=True&sort=pmt&attr=value&detector=tpc&run_id=plugin.run_id&version=ONLINE';

const cols = (x: object): Columns => x as Columns;

/** Python's truth value of an option value (empty lists and 0 are false). */
function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (ArrayBuffer.isView(v)) return (v as unknown as ArrayLike<unknown>).length > 0;
  return !!(v instanceof Object && 'valueOf' in v ? (v as { valueOf(): unknown }).valueOf() : v);
}

export class PulseProcessing extends Plugin {
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

  override readonly options: readonly OptionSpec[] = [
    {
      name: 'hev_gain_model',
      default: null,
      type: 'any',
      help: 'PMT gain model used in the software high-energy veto.',
    },
    {
      name: 'baseline_samples',
      default: 40,
      type: 'int',
      min: 1,
      help: 'Number of samples to use at the start of the pulse to determine the baseline',
    },
    {
      name: 'tail_veto_threshold',
      default: 0,
      type: 'any',
      help: 'Minimum peakarea in PE to trigger tail veto. Set to None, 0 or False to disable veto.',
    },
    {
      name: 'tail_veto_duration',
      default: 3000000,
      type: 'int',
      min: 0,
      help: 'Time in ns to veto after large peaks',
    },
    {
      name: 'tail_veto_resolution',
      default: 1000,
      type: 'int',
      help: 'Time resolution in ns for pass-veto waveform summation',
    },
    {
      name: 'tail_veto_pass_fraction',
      default: 0.05,
      type: 'float',
      help: 'Pass veto if maximum amplitude above max * fraction',
    },
    {
      name: 'tail_veto_pass_extend',
      default: 3,
      type: 'int',
      help: 'Extend pass veto by this many samples (tail_veto_resolution!)',
    },
    {
      name: 'max_veto_value',
      default: null,
      type: 'any',
      help: 'Optionally pass a HE peak that exceeds this absolute area.',
    },
    {
      name: 'pmt_pulse_filter',
      default: null,
      type: 'any',
      help: 'Linear filter to apply to pulses, will be normalized.',
    },
    {
      name: 'save_outside_hits',
      default: [3, 20],
      type: 'list',
      help: 'Save (left, right) samples besides hits; cut the rest',
    },
    { name: 'n_tpc_pmts', type: 'int', help: 'Number of TPC PMTs' },
    {
      name: 'check_raw_record_overlaps',
      default: true,
      type: 'bool',
      track: false,
      help: 'Crash if any of the pulses in raw_records overlap with others in the same channel',
    },
    {
      name: 'allow_sloppy_chunking',
      default: false,
      type: 'bool',
      track: false,
      help: 'Use a default baseline for incorrectly chunked fragments.',
    },
    {
      name: 'hit_min_amplitude',
      default: HIT_THRESHOLDS_URL,
      type: 'any',
      help: 'Minimum hit amplitude in ADC counts above baseline (per channel, or one number)',
    },
  ];

  private recordLength(): number {
    const raw = this.depDtypes['raw_records'];
    return raw?.has('data') ? raw.field('data').shape[0]! : DEFAULT_RECORD_LENGTH;
  }

  override inferDtype(): Readonly<Record<string, DType>> {
    return {
      records: recordDtype(this.recordLength()),
      veto_regions: hitDtype(),
      pulse_counts: pulseCountDtype(this.opt<number>('n_tpc_pmts')),
    };
  }

  private hevEnabled(): boolean {
    return this.config['hev_gain_model'] != null && pyTruthy(this.config['tail_veto_threshold']);
  }

  override setup(): void {
    if (pyTruthy(this.config['pmt_pulse_filter'])) {
      throw new Error(
        'PulseProcessing: pmt_pulse_filter (linear pulse filtering) is not supported by straxts; set it to None (null)',
      );
    }
  }

  override compute(inputs: InputsByKind, range: ComputeRange): Record<string, Records> {
    const raw = inputs['raw_records']!.columns as unknown as RawRecordColumns;
    const nTpc = this.opt<number>('n_tpc_pmts');
    const spr = this.recordLength();
    if (this.config['check_raw_record_overlaps'] ?? true) checkOverlaps(raw, 3000);

    const hev = this.hevEnabled();
    const thresholds = this.opt<number | ArrayLike<number>>('hit_min_amplitude');
    // raw_to_records, zero_out_of_bounds, baseline, integrate (and find_hits, unless the veto
    // removes records first) in one pass
    const pass = baselinedRecordsAndHits(
      raw,
      rowsBelowChannel(raw.channel, nTpc),
      {
        baselineSamples: this.opt<number>('baseline_samples'),
        allowSloppyChunking: !!this.config['allow_sloppy_chunking'],
        flip: true,
      },
      hev ? null : { minAmplitude: thresholds },
    );
    let r: RecordColumns = pass.records;

    const pulseCounts = this.pulseCounts(r, nTpc, range);

    let veto: HitColumns | null = null;
    if (r.time.length > 0 && hev) {
      const res = softwareHeVeto(r, this.opt<ArrayLike<number>>('hev_gain_model'), range.end, {
        areaThreshold: Number(this.config['tail_veto_threshold']),
        vetoLength: this.opt<number>('tail_veto_duration'),
        vetoRes: this.opt<number>('tail_veto_resolution'),
        passVetoExtend: this.opt<number>('tail_veto_pass_extend'),
        passVetoFraction: this.opt<number>('tail_veto_pass_fraction'),
        maxVetoValue: (this.config['max_veto_value'] ?? null) as number | null,
      });
      r = res.kept;
      veto = res.veto;
    }

    if (r.time.length > 0) {
      const hits = pass.hits && !hev ? pass.hits : findHits(r, thresholds);
      const [le, re] = this.opt<readonly number[]>('save_outside_hits');
      r.data = cutOutsideHits(r, hits, le!, re!);
      r.reduction_level.fill(REDUCTION_HITS_ONLY);
      zeroOutOfBounds(r.length, r.data);
    }

    const vetoDtype = hitDtype();
    const vetoRecords = veto
      ? new Records(vetoDtype, veto.time.length, cols(veto))
      : Records.empty(vetoDtype, 0);
    return {
      records: new Records(recordDtype(spr), r.time.length, cols(r)),
      veto_regions: vetoRecords,
      pulse_counts: pulseCounts,
    };
  }

  private pulseCounts(r: RecordColumns, nTpc: number, range: ComputeRange): Records {
    const dtype = pulseCountDtype(nTpc);
    const pc = countPulses(r, nTpc);
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
