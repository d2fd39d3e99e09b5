// straxen Peaklets (1.2.2): records → peaklets (hits clustered, summed, split at natural breaks,
// desaturated) and lone_hits (hits outside every peaklet, re-integrated). Each records chunk is
// processed alone, clipped to the chunk's [start, end).

import { Plugin, type ComputeRange, type InputsByKind, type OptionSpec } from '../../core/plugin.js';
import type { DType } from '../../core/dtype.js';
import type { Records } from '../../core/records.js';
import { pyFloat } from '../../core/python/float.js';
import { hitDtype, peakDtype } from '../../core/standard-dtypes.js';
import { findHits, type HitfinderInput } from '../../kernels/hitfinder.js';
import { recordLinks } from '../../kernels/pulse-processing.js';
import { buildPeaklets, type PeakletOptions } from '../../kernels/peaklet-building.js';
import { hitArraysFromColumns } from '../../kernels/hit-arrays.js';
import { alignedBase, hitRecords, peaksToRecords, recordArrays } from './columns.js';

const HIT_THRESHOLDS_URL =
  'list-to-array://xedocs://hit_thresholds?as_list=True&sort=pmt&attr=value&detector=tpc&run_id=plugin.run_id&version=ONLINE';

type GofTable = readonly [
  null,
  readonly (readonly [number, number])[],
  readonly (readonly [number, number])[],
];

export class Peaklets extends Plugin {
  /** Lets the engine compute chunks on worker threads. */
  static readonly moduleUrl = import.meta.url;
  override readonly provides = ['peaklets', 'lone_hits'] as const;
  override readonly dependsOn = ['records'] as const;
  override readonly dataKind = { peaklets: 'peaklets', lone_hits: 'lone_hits' };
  override readonly version = '1.2.2';
  override readonly parallel = true;
  override readonly compressor = 'zstd';
  override readonly chunkTargetSizeMb = 2000;

  override readonly options: readonly OptionSpec[] = [
    {
      name: 'peaklet_gap_threshold',
      default: 700,
      type: 'int',
      min: 0,
      help: 'No hits for this many ns triggers a new peak',
    },
    {
      name: 'peak_left_extension',
      default: 30,
      type: 'int',
      min: 0,
      help: 'Include this many ns left of hits in peaks',
    },
    {
      name: 'peak_right_extension',
      default: 200,
      type: 'int',
      min: 0,
      help: 'Include this many ns right of hits in peaks',
    },
    {
      name: 'peak_min_pmts',
      default: 2,
      type: 'int',
      min: 1,
      help: 'Minimum number of contributing PMTs needed to define a peak',
    },
    {
      name: 'peak_split_gof_threshold',
      type: 'list',
      default: [
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
      help: 'Natural breaks goodness of fit/split threshold to split a peak. Specify as tuples of (log10(area), threshold).',
    },
    {
      name: 'peak_split_filter_wing_width',
      default: 70,
      type: 'int',
      help: 'Wing width of moving average filter for low-split natural breaks',
    },
    {
      name: 'peak_split_min_area',
      default: pyFloat(40.0),
      type: 'float',
      help: 'Minimum area to evaluate natural breaks criterion. Smaller peaks are not split.',
    },
    {
      name: 'peak_split_iterations',
      default: 20,
      type: 'int',
      min: 0,
      help: 'Maximum number of recursive peak splits to do.',
    },
    {
      name: 'diagnose_sorting',
      default: false,
      type: 'bool',
      track: false,
      help: 'Enable runtime checks for sorting and disjointness',
    },
    { name: 'gain_model', type: 'any', help: 'PMT gain model. Specify as URL or explicit value' },
    {
      name: 'tight_coincidence_window_left',
      default: 50,
      type: 'int',
      help: 'Time range left of peak center to call a hit a tight coincidence (ns)',
    },
    {
      name: 'tight_coincidence_window_right',
      default: 50,
      type: 'int',
      help: 'Time range right of peak center to call a hit a tight coincidence (ns)',
    },
    { name: 'n_tpc_pmts', type: 'int', help: 'Number of TPC PMTs' },
    { name: 'n_top_pmts', type: 'int', help: 'Number of top TPC array PMTs' },
    {
      name: 'store_data_top',
      default: true,
      type: 'bool',
      help: 'Save the sum waveform of the top array separately',
    },
    {
      name: 'store_data_start',
      default: true,
      type: 'bool',
      help: 'Save the start time of the waveform with minimum dt',
    },
    {
      name: 'saturation_correction_on',
      default: true,
      type: 'bool',
      help: 'On off switch for saturation correction',
    },
    {
      name: 'saturation_reference_length',
      default: 100,
      type: 'int',
      help: 'Maximum number of reference sample used to correct saturated samples',
    },
    {
      name: 'saturation_min_reference_length',
      default: 20,
      type: 'int',
      help: 'Minimum number of reference sample used to correct saturated samples',
    },
    {
      name: 'peaklet_max_duration',
      default: 10000000,
      type: 'int',
      min: 1,
      help: 'Maximum duration [ns] of a peaklet',
    },
    {
      name: 'channel_map',
      type: 'dict',
      track: false,
      defaultFactory: () => ({ tpc: [0, 493] }),
      help: 'immutabledict mapping subdetector to (min, max) channel number.',
    },
    {
      name: 'hit_min_amplitude',
      default: HIT_THRESHOLDS_URL,
      type: 'any',
      help: 'Minimum hit amplitude in ADC counts above baseline. Specify as a tuple of length n_tpc_pmts, or a number.',
    },
  ];

  override inferDtype(): Readonly<Record<string, DType>> {
    return {
      peaklets: peakDtype({
        nChannels: this.opt<number>('n_tpc_pmts'),
        storeDataTop: !!this.config['store_data_top'],
        storeDataStart: !!this.config['store_data_start'],
      }),
      lone_hits: hitDtype(),
    };
  }

  override setup(): void {
    const minPmts = this.opt<number>('peak_min_pmts');
    if (minPmts > 2) {
      throw new Error(
        `Peaklets: peak_min_pmts ${minPmts} > 2 is not supported (it interferes with the lone_hit definition); use 2 or less`,
      );
    }
    const gap = this.opt<number>('peaklet_gap_threshold');
    if (gap > 1000) {
      throw new Error(
        `Peaklets: peaklet_gap_threshold ${gap} ns exceeds the 1000 ns safe break of raw_records; use at most 1000`,
      );
    }
    const gains = this.config['gain_model'];
    if (!gains || typeof gains !== 'object' || typeof (gains as ArrayLike<number>).length !== 'number') {
      throw new Error('Peaklets: gain_model must resolve to an array of PE per ADC·sample (one per channel)');
    }
  }

  private peakletOptions(): PeakletOptions {
    const gof = this.opt<GofTable>('peak_split_gof_threshold');
    const tpc = this.opt<Record<string, readonly number[]>>('channel_map')['tpc'] ?? [
      0,
      this.opt<number>('n_tpc_pmts') - 1,
    ];
    return {
      nChannels: this.opt<number>('n_tpc_pmts'),
      nTopChannels: this.opt<number>('n_top_pmts'),
      gapThreshold: this.opt<number>('peaklet_gap_threshold'),
      leftExtension: this.opt<number>('peak_left_extension'),
      rightExtension: this.opt<number>('peak_right_extension'),
      minChannels: this.opt<number>('peak_min_pmts'),
      maxDuration: this.opt<number>('peaklet_max_duration'),
      s1GofCurve: gof[1],
      s2GofCurve: gof[2],
      splitFilterWingWidth: this.opt<number>('peak_split_filter_wing_width'),
      splitMinArea: this.opt<number>('peak_split_min_area'),
      splitIterations: this.opt<number>('peak_split_iterations'),
      saturationCorrection: !!this.opt<boolean>('saturation_correction_on'),
      saturationReferenceLength: this.opt<number>('saturation_reference_length'),
      saturationMinReferenceLength: this.opt<number>('saturation_min_reference_length'),
      tightLeft: this.opt<number>('tight_coincidence_window_left'),
      tightRight: this.opt<number>('tight_coincidence_window_right'),
      channelRange: [tpc[0]!, tpc[1]!],
      storeDataTop: !!this.config['store_data_top'],
      storeDataStart: !!this.config['store_data_start'],
    };
  }

  override compute(inputs: InputsByKind, range: ComputeRange): Record<string, Records> {
    const rec = inputs['records']!;
    const toPe = this.opt<ArrayLike<number>>('gain_model');
    const dt = rec.length > 0 ? rec.i16('dt')[0]! : 10;
    const base = alignedBase(range.start, dt);
    const records = recordArrays(rec, base);
    const found = findHits(
      rec.columns as unknown as HitfinderInput,
      this.opt<number | ArrayLike<number>>('hit_min_amplitude'),
    );
    const hits = hitArraysFromColumns(found, base);
    const links = recordLinks(
      {
        time: rec.i64('time'),
        dt: rec.i16('dt'),
        channel: rec.i16('channel'),
        record_i: rec.i16('record_i'),
      },
      records.samplesPerRecord,
    );
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
