import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '../../src/core/context/context.js';
import { Records } from '../../src/core/records.js';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { PulseProcessing } from '../../src/plugins/records/index.js';
import { SimRawRecords } from '../../src/plugins/raw_records/index.js';
import { referenceDataDir, referenceFolder } from '../helpers/reference.js';
import { loadChunks, readMeta, referenceConfig } from './records-reference.js';

describe('PulseProcessing through a Context with worker threads', () => {
  it('makes and saves records of run012100 from raw_records as the reference, in its chunking', async () => {
    const run = 'run012100';
    const tmp = mkdtempSync(join(tmpdir(), 'straxts-records-'));
    try {
      const folder = referenceFolder(run, 'raw_records');
      cpSync(join(referenceDataDir(run), folder), join(tmp, folder), { recursive: true });
      const ctx = new Context({
        storage: [new DataDirectory(tmp)],
        register: [SimRawRecords, PulseProcessing],
      });
      const { hitThresholds } = referenceConfig(run);
      ctx.setConfig({ n_tpc_pmts: 494, hit_min_amplitude: hitThresholds });
      const got = await ctx.getArray('012100', 'records', { options: { workers: 2 }, progress: false });
      const ref = Records.concat((await loadChunks(run, 'records')).map((c) => c.data));
      const ag = compareRecords(got, ref);
      if (!ag.ok) console.log(formatAgreement(ag));
      expect(ag.ok).toBe(true);
      // records keep the raw_records chunking when saved (rechunk_on_save False)
      const saved = new DataDirectory(tmp).find(ctx.keyFor('012100', 'records'));
      expect(saved).not.toBeNull();
      const refChunks = readMeta(run, 'records').meta.chunks;
      expect(saved!.metadata.chunks.map((c) => [c.start, c.end, c.n])).toEqual(
        refChunks.map((c) => [c.start, c.end, c.n]),
      );
      const counts = await ctx.getArray('012100', 'pulse_counts', { progress: false });
      expect(counts.length).toBe(readMeta(run, 'pulse_counts').meta.chunks.reduce((s, c) => s + c.n, 0));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 300_000);
});
