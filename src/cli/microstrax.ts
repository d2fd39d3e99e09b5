#!/usr/bin/env node
// microstrax: not ported yet.

import { notAvailable } from './user-error.js';

notAvailable('microstrax');
