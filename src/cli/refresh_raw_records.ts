#!/usr/bin/env node
// refresh_raw_records: not ported yet.

import { notAvailable } from './user-error.js';

notAvailable('refresh_raw_records');
