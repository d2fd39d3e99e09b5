import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeContext } from '../../src/named-contexts/index.js';
import { stageReferenceRun } from '../e2e/helpers.js';

describe('metadata records the values URL options resolved to', () => {
  it('peaklets: lineage keeps the URL, metadata gives the gains used', async () => {
    const dir = stageReferenceRun('run012100');
    const { context } = makeContext('reference', {
      configFile: join(dir, '012100-config.json'),
      outputFolder: dir,
    });
    await context.make('012100', ['peaklets']);
    const folder = readdirSync(dir).find((f) => /^012100-peaklets-/.test(f))!;
    const md = JSON.parse(readFileSync(join(dir, folder, `${folder.slice(7)}-metadata.json`), 'utf8')) as {
      lineage: Record<string, [string, string, Record<string, unknown>]>;
      resolved_options: Record<string, unknown>;
    };
    // strax keys a multi-output plugin's lineage entry by one of its outputs
    const entry = Object.values(md.lineage).find((e) => e[0] === 'Peaklets')!;
    expect(entry[2]['gain_model']).toBe('list-to-array://resource://012100-to_pe.json?fmt=json');
    const gains = JSON.parse(readFileSync(join(dir, '012100-to_pe.json'), 'utf8')) as number[];
    expect(md.resolved_options['gain_model']).toEqual(gains);
    // the folder name is still straxen's: the extra key is not part of the lineage
    expect(folder).toBe('012100-peaklets-2p7tqf5swy');
  });
});
