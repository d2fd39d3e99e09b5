#!/usr/bin/env node
// restrax: not ported yet.

import { notAvailable } from './user-error.js';

notAvailable('restrax');
