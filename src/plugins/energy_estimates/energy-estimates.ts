// straxen EnergyEstimates: energies in keVee from cS1 and cS2.

import { DType } from '../../core/dtype.js';
import { Plugin, SaveWhen, type InputsByKind, type OptionSpec } from '../../core/plugin.js';
import { Records } from '../../core/records.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';
import { energyEstimates } from '../../kernels/energy.js';
import { numericOption } from '../events/options.js';

export class EnergyEstimates extends Plugin {
  readonly provides: readonly string[] = ['energy_estimates'];
  override readonly dependsOn: readonly string[] = ['corrected_areas'];
  override readonly dataKind = 'events';
  override readonly version = '0.1.1';
  override readonly saveWhen = SaveWhen.TARGET;
  override readonly options: readonly OptionSpec[] = [
    {
      name: 'g1',
      default: 'bodega://g1?bodega_version=v2',
      type: 'any',
      help: 'S1 gain in PE / photons produced',
    },
    {
      name: 'g2',
      default: 'bodega://g2?bodega_version=v2',
      type: 'any',
      help: 'S2 gain in PE / electrons produced',
    },
    { name: 'lxe_w', default: 13.7e-3, type: 'any', help: 'LXe work function in quanta/keV' },
  ];

  override inferDtype(): DType {
    return DType.of([
      { name: 'e_light', type: '<f4', title: 'Energy in light signal [keVee]' },
      { name: 'e_charge', type: '<f4', title: 'Energy in charge signal [keVee]' },
      { name: 'e_ces', type: '<f4', title: 'Energy estimate [keVee]' },
      ...TIME_FIELDS,
    ]);
  }

  override compute(inputs: InputsByKind): Records {
    const ev = inputs['events'];
    if (!ev) throw new Error('EnergyEstimates: needs corrected_areas');
    const out = Records.empty(this.inferDtype(), ev.length);
    energyEstimates(
      ev.f32('cs1'),
      ev.f32('cs2'),
      numericOption(this, 'g1'),
      numericOption(this, 'g2'),
      numericOption(this, 'lxe_w'),
      out.f32('e_light'),
      out.f32('e_charge'),
      out.f32('e_ces'),
    );
    out.i64('time').set(ev.i64('time'));
    out.i64('endtime').set(ev.i64('endtime'));
    return out;
  }
}
