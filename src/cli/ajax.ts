#!/usr/bin/env node
// ajax: not ported yet.

import { notAvailable } from './user-error.js';

notAvailable('ajax');
