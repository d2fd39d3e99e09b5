#!/usr/bin/env node
// fake_daq: not ported yet.

import { notAvailable } from './user-error.js';

notAvailable('fake_daq');
