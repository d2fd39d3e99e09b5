import { describe, expect, it } from 'vitest';
import {
  inferResources,
  interp,
  isNewEventbuilder,
  runDataRate,
} from '../../../src/daq/bootstrax/resources.js';

const req = { cores: 8, maxMessages: 10, inferMode: true, fixResources: false, cpus: 2 };
const run = { dataRate: 0, mode: 'tpc', nFailures: 0, newEventbuilder: true, chunkSeconds: 5.5 };

describe('bootstrax resource inference', () => {
  it('interpolates as numpy.interp, clamped', () => {
    expect(interp(-5, [0, 10], [1, 2])).toBe(1);
    expect(interp(5, [0, 10], [1, 2])).toBe(1.5);
    expect(interp(50, [0, 10], [1, 2])).toBe(2);
  });

  it('reads the table by the run’s rate (new and old eventbuilders)', () => {
    expect(inferResources(req, { ...run, dataRate: 130 })).toMatchObject({
      cores: 21,
      maxMessages: 27,
      timeoutS: 1350,
    });
    expect(inferResources(req, { ...run, dataRate: 130, newEventbuilder: false })).toMatchObject({
      cores: 30,
      maxMessages: 12,
    });
    expect(inferResources(req, { ...run, dataRate: 10, mode: 'ambe' })).toMatchObject({
      cores: 10,
      timeoutS: 2400,
    });
  });

  it('uses the command line without a rate or without --infer_mode', () => {
    expect(inferResources(req, run)).toMatchObject({ cores: 8, maxMessages: 10, timeoutS: 1000 });
    expect(inferResources({ ...req, inferMode: false, cores: -1 }, { ...run, dataRate: 300 })).toMatchObject({
      cores: 2,
    });
  });

  it('shrinks after failures unless --fix_resources; compressor by failures and chunk size', () => {
    const r = inferResources(req, { ...run, nFailures: 3 });
    expect(r).toMatchObject({ cores: 6, maxMessages: 7, timeoutS: 1331, recordsCompressor: 'lz4' });
    expect(inferResources({ ...req, fixResources: true }, { ...run, nFailures: 3 })).toMatchObject({
      cores: 8,
      recordsCompressor: 'zstd',
    });
    expect(inferResources(req, { ...run, nFailures: 1 }).recordsCompressor).toBe('zstd');
    expect(inferResources(req, { ...run, dataRate: 400 }).recordsCompressor).toBe('lz4');
    expect(inferResources(req, { ...run, dataRate: 100 }).recordsCompressor).toBe('zstd');
  });

  it('rates and host names', () => {
    expect(runDataRate({ tpc: { max: 100, avg: 50 }, neutron_veto: { max: 20 } })).toBe(120);
    expect(runDataRate(null)).toBe(0);
    expect(isNewEventbuilder('eb2.xenon.local')).toBe(false);
    expect(isNewEventbuilder('eb5.xenon.local')).toBe(true);
    expect(isNewEventbuilder('laptop')).toBe(true);
  });
});
