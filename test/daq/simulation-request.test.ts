// A simulation request is checked against sane rates and the free disk before anything runs.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkSimulationRequest,
  estimatedDiskBytes,
  SimulationRequestRefused,
} from '../../src/daq/simulator/request-limits.js';
import { DEFAULT_SIMULATION_RATES } from '../../src/daq/simulator/simulate.js';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

beforeAll(() => ensureBuilt(), 300_000);

describe('simulation request limits', () => {
  it('estimates a default minute near the measured 166 MB on disk', () => {
    const mb = estimatedDiskBytes(60e9, DEFAULT_SIMULATION_RATES) / 1e6;
    expect(mb).toBeGreaterThan(120);
    expect(mb).toBeLessThan(220);
  });

  it('refuses rates out of range and runs larger than the free disk, accepts a normal run', () => {
    const dir = tempDir('straxts-simreq-');
    expect(() =>
      checkSimulationRequest(dir, 60e9, { ...DEFAULT_SIMULATION_RATES, eventRateHz: 1e9 }),
    ).toThrow(/rate events=1000000000 Hz is above the 1000 Hz/);
    expect(() => checkSimulationRequest(dir, 100000 * 3600e9, DEFAULT_SIMULATION_RATES)).toThrow(
      SimulationRequestRefused,
    );
    expect(() =>
      checkSimulationRequest(join(dir, 'not', 'yet'), 10e9, DEFAULT_SIMULATION_RATES),
    ).not.toThrow();
  });

  it('straxts simulate --duration 100000h: one line, exit 2, nothing written', async () => {
    const out = join(tempDir('straxts-simreq-'), 'data');
    const r = await runTool('straxts', [
      'simulate',
      '000999',
      '--duration',
      '100000h',
      '-o',
      out,
      '--no-rundb',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/would need about [\d.]+ TB of raw_records on disk, but .* free/);
    expect(existsSync(out)).toBe(false);
  });
});
