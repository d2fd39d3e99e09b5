// Worker threads started by tests run TypeScript sources: the module URL of tsx's ESM API, whose
// register() installs its loader in the thread that imports it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The import condition of 'tsx/esm/api' (its require condition is the CommonJS build).
const req = createRequire(import.meta.url);
const pkgFile = req.resolve('tsx/package.json');
const pkg = req(pkgFile) as { exports: Record<string, { import: { default: string } }> };

export const TSX_ESM_API_URL = pathToFileURL(
  join(dirname(pkgFile), pkg.exports['./esm/api']!.import.default),
).href;
