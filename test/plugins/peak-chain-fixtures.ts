// Shared inputs of the merged_s2s / peaks / peak_basics golden tests (their plugins come from
// configuredPlugin in test/helpers).

import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';
import { loadReferenceNpy } from '../helpers/reference.js';

export function loadNpy(run: string, type: string): Records {
  return loadReferenceNpy(run, type).records;
}

/** peaklets and peaklet_classification as strax hands them to a plugin: one array, fields in
 * data-type name order, the classification's values winning. */
export function peakletsWithClassification(run: string): Records {
  const pk = loadNpy(run, 'peaklets');
  const cls = loadNpy(run, 'peaklet_classification');
  return Records.mergeColumns([pk, cls], DType.merge([cls.dtype, pk.dtype]));
}
