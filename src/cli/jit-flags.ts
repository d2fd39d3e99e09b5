// V8 settings for a processing process, applied before any chain code runs (import this module
// first). A chain calls each kernel once per chunk, a few dozen times in a run, and the first
// call already spends long in a loop: V8 then optimises the kernel mid-loop (OSR).
// - Feedback from the first call: by default V8 records type feedback only once a function has
//   run a while, so the code before a kernel's first loop ran unrecorded; the optimised kernel
//   then stops at that code on the next call and is compiled again (bench000333: 20
//   compilations of the records pass, a third of the process's CPU spent compiling).
// - Optimise later: with V8's default budget the glue between kernels (chunk handling, option
//   and dtype code) is optimised after a few calls, on feedback that the next chunks contradict,
//   and compiled again, on the compiler threads that share the two cores with the chain. Four
//   times the default budget (bench000333, quiet, medians of 4: 1 worker 2.50 → 2.30 s wall,
//   2 workers 2.47 → 2.15 s, ~0.4 s less CPU; twice and eight times the budget gained less)
//   still optimises every kernel within its first chunks.

import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-lazy-feedback-allocation');
setFlagsFromString('--interrupt-budget=270336');
