#!/usr/bin/env node
// straxer: not ported yet.

import { notAvailable } from './user-error.js';

notAvailable('straxer');
