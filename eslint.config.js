import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

// Folders are process boundaries: only Electron's own processes (src/main, and the preload's one
// channel) may import electron, the renderer may import only itself and src/shared, and nothing
// imports the renderer.
const onlyMainImportsElectron = {
  name: 'electron',
  message: 'Only src/main (the thin Electron shell) and src/preload may import electron.',
};

// The layers of src/, lowest first (as VS Code's `code-layering`): a file may import its own layer and
// the layers below it, never one above. Layers named on one line are siblings that may not import each
// other (ipc and server). Type-only imports count too: a type is part of a layer's contract, and an
// upward type import is the same coupling an upward value import is (a lower layer that needs a
// type from above gets it moved down, usually into src/shared).
//
//   shared        src/shared                 the typed API contract, error codes, the run result
//   os            src/os                     facts of the host every Node process asks (is a pid alive); not the renderer
//   log           src/log                    the rotated log file every Node process writes (not the renderer)
//   ai            src/ai                     Ollama, the AI policy and budgets (broker), record/replay
//   sandbox       src/sandbox                the engines and the bridge; it gives plugins the broker
//   db            src/marketplace/db         SQL executors, connections, the migration runner, the schemas
//   library       src/library                the data folder: workspace, settings, the local database
//   marketplace   src/marketplace (not db/)  publishing, signing, installs, the outbox, search
//   app           src/app                    the composition root and every API handler
//   transports    src/ipc | src/server       the API over IPC, and over HTTP
//   cli | backend src/cli | src/backend      the command line (it starts the HTTP server for `serve`); the
//                                            desktop app's backend process (the API over MessagePorts)
//   main          src/main                   the Electron shell
//
// Outside the ladder: src/renderer imports only src/shared (and itself), src/preload only src/shared,
// and no file outside them imports either. Tests (*.test.ts beside the code, test/, e2e/, bench/) may
// import any layer; production code in src/ never imports vitest, test/, e2e/ or bench/. No import
// cycles in src/ (import-x/no-cycle; type-only imports cannot form a cycle at run time and are left
// to the layer rule). test/lint/layers.test.ts proves that each rule still fires.
export const LAYERS = [
  ['shared', ['src/shared']],
  ['os', ['src/os']],
  ['log', ['src/log']],
  ['ai', ['src/ai']],
  ['sandbox', ['src/sandbox']],
  ['db', ['src/marketplace/db']],
  ['library', ['src/library']],
  ['marketplace', ['src/marketplace']],
  ['app', ['src/app']],
  ['transports', ['src/ipc', 'src/server']],
  ['cli', ['src/cli', 'src/backend']],
  ['main', ['src/main']],
];
const ISLANDS = ['src/renderer', 'src/preload'];
const TEST_CODE = ['test', 'e2e', 'bench', 'node_modules/vitest', 'node_modules/@vitest'];
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx'];

/** One zone per (layer, folder above it); src/marketplace/db sits inside src/marketplace but below it. */
function layerZones() {
  const zones = [];
  LAYERS.forEach(([name, targets], index) => {
    const above = LAYERS.slice(index + 1).flatMap(([, paths]) => paths).concat(ISLANDS);
    for (const target of targets) {
      const siblings = targets.filter((other) => other !== target);
      for (const from of [...above, ...siblings]) {
        if (from === target || target.startsWith(`${from}/`) && from !== 'src/marketplace') continue;
        const except = from === 'src/marketplace' ? ['./db'] : [];
        zones.push({ target, from, except, message: `The ${name} layer may not import ${from} (layers: eslint.config.js).` });
      }
    }
  });
  for (const island of ISLANDS) {
    const others = LAYERS.flatMap(([, paths]) => paths).concat(ISLANDS).filter((path) => path !== island && path !== 'src/shared');
    for (const from of others) {
      if (from === 'src/marketplace/db') continue; // inside src/marketplace, already covered
      zones.push({ target: island, from, message: `${island} imports only src/shared (layers: eslint.config.js).` });
    }
  }
  zones.push({ target: 'src', from: TEST_CODE, message: 'Production code never imports tests or vitest: test helpers live in test/support.' });
  return zones;
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'test-results/**', 'bench/results/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [onlyMainImportsElectron] }],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['src/main/**', 'src/preload/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: TEST_FILES,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] })],
      // no-cycle follows only files it can parse: the TypeScript ones too.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      // Paths are relative to this file, wherever ESLint is started from.
      'import-x/no-restricted-paths': ['error', { basePath: dirname(fileURLToPath(import.meta.url)), zones: layerZones() }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: [onlyMainImportsElectron],
        patterns: [{
          group: ['**/main/**', '**/sandbox/**', '**/ai/**', '**/marketplace/**', '**/library/**', '**/server/**', '**/cli/**', 'node:*'],
          message: 'The renderer talks to the rest only through the typed API in src/shared.',
        }],
      }],
    },
  },
);
