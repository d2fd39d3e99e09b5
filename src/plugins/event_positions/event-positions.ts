// straxen EventPositions: the interaction position of the main S1/S2 pair and of the pairs
// made with the alternate S1 or S2 — depth from the drift time (corrected for the z bias of
// non-uniform drift), radius corrected for field distortion, and the azimuth.

import { checkDetectorMap, type DetectorMap } from '../../core/detector-map.js';
import { DType, type FieldSpec } from '../../core/dtype.js';
import { Plugin, type InputsByKind } from '../../core/plugin.js';
import { Records } from '../../core/records.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';
import { azimuth, observedPosition, radialCorrection } from '../../kernels/interaction-position.js';
import { any, defineOptions } from '../../core/option-schema.js';
import {
  default_reconstruction_algorithm,
  electron_drift_time_gate,
  electron_drift_velocity,
} from '../shared-options.js';

const f32 = (name: string, title: string): FieldSpec => ({ name, type: '<f4', title });

function eventPositionFields(): FieldSpec[] {
  const fields: FieldSpec[] = [];
  for (const j of ['x', 'y', 'r']) {
    fields.push(f32(j, `Main interaction ${j}-position, field-distortion corrected (cm)`));
    for (const i of [1, 2]) {
      fields.push(
        f32(
          `alt_s${i}_${j}_fdc`,
          `Alternative S${i} interaction (rel. main S${3 - i}) ${j}-position, field-distortion corrected (cm)`,
        ),
      );
    }
  }
  fields.push(f32('z', 'Interaction z-position, corrected to non-uniform drift velocity (cm)'));
  fields.push(
    f32('z_dv_corr', 'Interaction z-position, corrected to non-uniform drift velocity, duplicated (cm)'),
  );
  for (const i of [1, 2]) {
    fields.push(
      f32(
        `alt_s${i}_z`,
        `Alternative S${i} z-position (rel. main S${3 - i}), corrected to non-uniform drift velocity (cm)`,
      ),
    );
    fields.push(
      f32(
        `alt_s${i}_z_dv_corr`,
        `Alternative S${i} z-position (rel. main S${3 - i}), corrected to non-uniform drift velocity, duplicated (cm)`,
      ),
    );
  }
  const naive: FieldSpec[] = [],
    fdc: FieldSpec[] = [];
  for (const j of ['r', 'z']) {
    naive.push(f32(`${j}_naive`, `Main interaction ${j}-position with observed position (cm)`));
    fdc.push(
      f32(`${j}_field_distortion_correction`, `Correction added to ${j}_naive for field distortion (cm)`),
    );
    for (const i of [1, 2]) {
      naive.push(
        f32(
          `alt_s${i}_${j}_naive`,
          `Alternative S${i} interaction (rel. main S${3 - i}) ${j}-position with observed position (cm)`,
        ),
      );
      fdc.push(
        f32(
          `alt_s${i}_${j}_field_distortion_correction`,
          `Correction added to alt_s${i}_${j}_naive for field distortion (cm)`,
        ),
      );
    }
  }
  fields.push(...naive, ...fdc);
  for (const i of [1, 2]) {
    fields.push(
      f32(
        `alt_s${i}_theta`,
        `Alternative S${i} (rel. main S${3 - i}) interaction angular position (radians)`,
      ),
    );
  }
  fields.push(f32('theta', 'Main interaction angular position (radians)'));
  return [...fields, ...TIME_FIELDS];
}

const OPTIONS = defineOptions({
  default_reconstruction_algorithm,
  electron_drift_velocity,
  electron_drift_time_gate,
  fdc_map: any<DetectorMap>(
    'xedocs://fdc_maps?algorithm=plugin.default_reconstruction_algorithm&attr=map&run_id=plugin.run_id&scale_coordinates=plugin.coordinate_scale&version=ONLINE',
    'Field-distortion correction map: the radial shift [cm] at each observed (x, y, z), for the chosen position-reconstruction algorithm.',
  ),
  z_bias_map: any<DetectorMap>(
    'itp_map://resource://XnT_z_bias_map_chargeup_20230329.json.gz?fmt=json.gz&method=RegularGridInterpolator',
    'Map of the depth bias [cm] caused by a non-uniform drift field, as a function of radius and observed depth; subtracted from the depth.',
  ),
});

export class EventPositions extends Plugin<typeof OPTIONS> {
  readonly provides: readonly string[] = ['event_positions'];
  override readonly dependsOn: readonly string[] = ['event_basics'];
  override readonly dataKind = 'events';
  override readonly version = '0.3.0';
  override readonly options = OPTIONS;

  override inferDtype(): DType {
    return DType.of(eventPositionFields());
  }

  override compute(inputs: InputsByKind): Records {
    const events = inputs['events'];
    if (!events) throw new Error('EventPositions: needs event_basics');
    const n = events.length;
    const out = Records.empty(this.inferDtype(), n);
    out.i64('time').set(events.i64('time'));
    out.i64('endtime').set(events.i64('endtime'));
    const v = this.cfg.electron_drift_velocity;
    const tg = this.cfg.electron_drift_time_gate;
    const fdc = checkDetectorMap(this.cfg.fdc_map, 'fdc_map of EventPositions');
    const zBias = checkDetectorMap(this.cfg.z_bias_map, 'z_bias_map of EventPositions');

    // Main pair, alternate S1 with the main S2, alternate S2 with the main S1.
    const cases = [
      { drift: 'drift_time', xy: 's2_', pre: '', post: '' },
      { drift: 'alt_s1_interaction_drift_time', xy: 's2_', pre: 'alt_s1_', post: '_fdc' },
      { drift: 'alt_s2_interaction_drift_time', xy: 'alt_s2_', pre: 'alt_s2_', post: '_fdc' },
    ];
    const zObs = new Float32Array(n),
      rObs = new Float32Array(n);
    for (const c of cases) {
      const x = events.f32(`${c.xy}x`),
        y = events.f32(`${c.xy}y`);
      observedPosition(events.f32(c.drift), x, y, v, tg, zObs, rObs);
      const zDelta = zBias.evaluate([rObs, zObs], 'z_bias_map');
      const step = zDelta.length === 1 && n !== 1 ? 0 : 1;
      const zCorr = new Float64Array(n);
      for (let i = 0; i < n; i++) zCorr[i] = zObs[i]! - zDelta[i * step]!;
      const deltaR = fdc.evaluate([x, y, zCorr]);
      radialCorrection(
        x,
        y,
        rObs,
        deltaR,
        out.f32(`${c.pre}x${c.post}`),
        out.f32(`${c.pre}y${c.post}`),
        out.f32(`${c.pre}r${c.post}`),
      );
      out.f32(`${c.pre}r_naive`).set(rObs);
      const rCorrection = out.f32(`${c.pre}r_field_distortion_correction`);
      if (deltaR.length === 1) rCorrection.fill(deltaR[0]!);
      else rCorrection.set(deltaR);
      azimuth(x, y, out.f32(`${c.pre}theta`));
      out.f32(`${c.pre}z_naive`).set(zObs);
      out.f32(`${c.pre}z`).set(zCorr);
      out.f32(`${c.pre}z_dv_corr`).set(zCorr);
    }
    return out;
  }
}
