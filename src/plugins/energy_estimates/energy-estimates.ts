// straxen EnergyEstimates: energies in keVee from cS1 and cS2.

import { DType } from '../../core/dtype.js';
import { Plugin, SaveWhen, type InputsByKind } from '../../core/plugin.js';
import { Records } from '../../core/records.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';
import { energyEstimates } from '../../kernels/energy.js';
import { defineOptions, num } from '../../core/option-schema.js';

const OPTIONS = defineOptions({
  g1: num(
    'bodega://g1?bodega_version=v2',
    'Photon detection efficiency g1 [PE per produced photon]: turns the corrected S1 area into a number of photons.',
  ),
  g2: num(
    'bodega://g2?bodega_version=v2',
    'Charge gain g2 [PE per produced electron]: turns the corrected S2 area into a number of electrons.',
  ),
  lxe_w: num(
    13.7e-3,
    'Energy to make one quantum (photon or electron) in liquid xenon [keV]; scales quanta to the combined energy.',
  ),
});

export class EnergyEstimates extends Plugin<typeof OPTIONS> {
  readonly provides: readonly string[] = ['energy_estimates'];
  override readonly dependsOn: readonly string[] = ['corrected_areas'];
  override readonly dataKind = 'events';
  override readonly version = '0.1.1';
  override readonly saveWhen = SaveWhen.TARGET;
  override readonly options = OPTIONS;

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
      this.cfg.g1,
      this.cfg.g2,
      this.cfg.lxe_w,
      out.f32('e_light'),
      out.f32('e_charge'),
      out.f32('e_ces'),
    );
    out.i64('time').set(ev.i64('time'));
    out.i64('endtime').set(ev.i64('endtime'));
    return out;
  }
}
