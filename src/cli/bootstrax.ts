#!/usr/bin/env node
// bootstrax: not ported yet.

import { notAvailable } from './user-error.js';

notAvailable('bootstrax');
