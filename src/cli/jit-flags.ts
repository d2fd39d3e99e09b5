// V8 settings for a processing process, applied before any chain code runs (import this module
// first). A chain calls each kernel once per chunk, a few dozen times in a run, and the first
// call already spends long in a loop: V8 then optimises the kernel mid-loop (OSR).
// - Feedback from the first call: by default V8 records type feedback only once a function has
//   run a while, so the code before a kernel's first loop ran unrecorded; the optimised kernel
//   then stops at that code on the next call and is compiled again (bench000333: 20
//   compilations of the records pass, a third of the process's CPU spent compiling).

import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-lazy-feedback-allocation');
