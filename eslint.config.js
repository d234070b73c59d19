import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Folders are process boundaries: only Electron's own processes (src/main, and the preload's one
// channel) may import electron, the renderer may import only itself and src/shared, and nothing
// imports the renderer.
const onlyMainImportsElectron = {
  name: 'electron',
  message: 'Only src/main (the thin Electron shell) and src/preload may import electron.',
};

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
