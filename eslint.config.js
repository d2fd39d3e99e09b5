// Lint rules, and the layers as import boundaries: a folder may import only from the folders
// below it (kernels <- core <- rundb <- storage <- config <- plugins <- daq <- named-contexts <- cli/web).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layers = {
  kernels: [],
  core: ['kernels'],
  rundb: ['core', 'kernels'],
  storage: ['core', 'kernels', 'rundb'],
  config: ['core', 'kernels', 'storage', 'rundb'],
  plugins: ['core', 'kernels', 'config'],
  daq: ['core', 'kernels', 'storage', 'rundb', 'config', 'plugins'],
  'named-contexts': ['core', 'kernels', 'storage', 'rundb', 'config', 'plugins', 'daq'],
  web: ['core', 'kernels', 'storage', 'rundb', 'config', 'plugins', 'daq', 'named-contexts'],
  cli: ['core', 'kernels', 'storage', 'rundb', 'config', 'plugins', 'daq', 'named-contexts', 'web'],
};

// Kernels and plugins are pure computation: no Node built-ins and no packages (no files, no
// databases, no threads); what they need comes in as arguments or options.
const pureLayers = new Set(['kernels', 'plugins']);

function layerPatterns(layer) {
  const allowed = layers[layer];
  const forbidden = Object.keys(layers).filter((l) => l !== layer && !allowed.includes(l));
  const patterns = forbidden.map((l) => ({
    group: [`**/${l}/*`, `**/${l}/**`],
    message: `src/${layer} is below src/${l}: move the shared code down instead of importing up.`,
  }));
  if (pureLayers.has(layer))
    patterns.push({
      regex: '^[^.]',
      message: `src/${layer} is pure computation: take the value as an argument or option instead of importing a package or a Node built-in.`,
    });
  return patterns;
}

const boundaries = Object.keys(layers).map((layer) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns(layer) }] },
}));

// A plugin folder imports no other plugin folder: what several plugins share lives in
// src/plugins/shared-options.ts or lower layers.
const pluginFolders = readdirSync('src/plugins', { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const pluginBoundaries = pluginFolders.map((folder) => ({
  files: [`src/plugins/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...layerPatterns('plugins'),
          {
            regex: `^\\.\\./(?!\\.\\./)(?!${folder}/)[^/]+/`,
            message: `src/plugins/${folder} must not import another plugin's folder: move what they share to src/plugins/shared-options.ts or a lower layer.`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'strax_data/**', 'src/web/static/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The viewer's page script runs in the browser.
    files: ['src/web/static/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly',
        window: 'readonly',
        location: 'readonly',
        fetch: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
  },
  ...boundaries,
  ...pluginBoundaries,
);
