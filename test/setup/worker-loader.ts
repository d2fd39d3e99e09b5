// Tests run the sources: worker threads of the engine's pool load worker.ts through tsx.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useSourceLoader } from '../../src/core/engine/pool.js';

// tsx would keep its compiled files in /tmp/tsx-UID after the tests: compile in memory instead
// (the suite leaves /tmp as it found it).
process.env.TSX_DISABLE_CACHE = '1';

// The import condition of 'tsx/esm/api' (its require condition is the CommonJS build).
const req = createRequire(import.meta.url);
const pkgFile = req.resolve('tsx/package.json');
const pkg = req(pkgFile) as { exports: Record<string, { import: { default: string } }> };
useSourceLoader(pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href);
