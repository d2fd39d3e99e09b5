import { describe, expect, it } from 'vitest';
import { Context } from '../../src/core/context/context.js';
import { Records } from '../../src/core/records.js';
import { VANILLA_PLUGINS } from '../../src/plugins/index.js';
import {
  EventBasicsVanilla,
  eventBasicsFields,
  positionLabels,
} from '../../src/plugins/event_basics/index.js';
import { Events } from '../../src/plugins/events/index.js';
import { PeakPositionsBase } from '../../src/plugins/peak_positions/index.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, mergePeakInputs, timeRange } from './event-chain-fixtures.js';

const RUN = 'run012100';

async function events(config: Record<string, unknown> = {}): Promise<Events> {
  return (await configuredPlugin(Events, RUN, config)).plugin;
}

describe('event chain: bad configuration and inputs', () => {
  it('names an unresolved correction URL instead of computing with it', async () => {
    const ctx = new Context();
    ctx.register(...VANILLA_PLUGINS);
    ctx.setConfig({
      electron_drift_velocity:
        'xedocs://electron_drift_velocities?attr=value&run_id=plugin.run_id&version=ONLINE',
    });
    await expect(ctx.getSinglePlugin('012100', 'events')).rejects.toThrow(
      /option 'electron_drift_velocity' of Events is the URL config 'xedocs:.*', but this context has no option resolver/,
    );
  });
  it('refuses an S1 coincidence requirement above the event-level one', async () => {
    await expect(events({ s1_min_coincidence: 3 })).rejects.toThrow(/s1_min_coincidence/);
  });
  it('refuses a trigger feature that is not a peak field', async () => {
    const p = await events({ trigger_feature: 'no_such_field' });
    const peaks = mergePeakInputs(RUN, ['peak_basics', 'peak_proximity']);
    const { start, end } = timeRange(RUN, 'events');
    expect(() => p.compute({ peaks }, { start, end, chunkI: 0 })).toThrow(/trigger_feature 'no_such_field'/);
  });
  it('makes no events from no peaks', async () => {
    const p = await events();
    const peaks = mergePeakInputs(RUN, ['peak_basics', 'peak_proximity']).slice(0, 0);
    const out = p.compute({ peaks }, { start: 0n, end: 1000n, chunkI: 0 });
    expect(out.length).toBe(0);
  });
  it('event_basics refuses an event that holds no peak', async () => {
    const types = ['peak_basics', 'peak_positions', 'peak_proximity'];
    const { plugin } = await configuredPlugin(EventBasicsVanilla, RUN);
    const ev = loadNpy(RUN, 'events');
    const empty = Records.fromColumns(ev.dtype, 1, { event_number: [0n], time: [1n], endtime: [2n] });
    expect(() => plugin.compute({ events: empty, peaks: mergePeakInputs(RUN, types) })).toThrow(/no peaks/);
  });
});

describe('position algorithms', () => {
  it('labels come from x_<label> fields, sorted, x_ fields before y_ fields', () => {
    expect(positionLabels(['time', 'endtime', 'x_mlp', 'y_mlp', 'x_cnf', 'y_cnf', 'x', 'y'])).toEqual([
      'cnf',
      'mlp',
    ]);
    const names = eventBasicsFields(['cnf', 'mlp'])
      .map((f) => f.name)
      .filter((n) => /_(cnf|mlp)$/.test(n));
    expect(names).toEqual([
      's2_x_cnf',
      's2_y_cnf',
      'alt_s2_x_cnf',
      'alt_s2_y_cnf',
      's2_x_mlp',
      's2_y_mlp',
      'alt_s2_x_mlp',
      'alt_s2_y_mlp',
    ]);
  });
  it('a new algorithm plugs in by subclassing the base', () => {
    class PeakPositionsOrigin extends PeakPositionsBase {
      override readonly version = '0.0.0';
      readonly algorithm = 'origin';
      protected reconstruct(peaks: Records) {
        return { x: new Float32Array(peaks.length), y: new Float32Array(peaks.length) };
      }
    }
    const p = new PeakPositionsOrigin();
    expect(p.inferDtype().names).toEqual(['time', 'endtime', 'x_origin', 'y_origin', 'x', 'y']);
    const peaks = loadNpy(RUN, 'peaks');
    const out = p.compute({ peaks });
    expect(out.length).toBe(peaks.length);
    expect(positionLabels(out.dtype.names)).toEqual(['origin']);
  });
  it('refuses a label containing an underscore (it would confuse event_basics)', () => {
    class Bad extends PeakPositionsBase {
      readonly algorithm = 'my_alg';
      protected reconstruct(peaks: Records) {
        return { x: new Float32Array(peaks.length), y: new Float32Array(peaks.length) };
      }
    }
    expect(() => new Bad().inferDtype()).toThrow(/must not contain/);
  });
});
