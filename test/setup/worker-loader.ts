// Tests run the sources: worker threads of the engine's pool load worker.ts through tsx.
import { useSourceLoader } from '../../src/core/engine/pool.js';
import { TSX_ESM_API_URL } from '../helpers/tsx-loader.js';

// tsx would keep its compiled files in /tmp/tsx-UID after the tests: compile in memory instead
// (the suite leaves /tmp as it found it).
process.env.TSX_DISABLE_CACHE = '1';

useSourceLoader(TSX_ESM_API_URL);
