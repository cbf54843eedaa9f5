// Lint configuration: typescript-eslint's recommended rules plus the house rules
// from ../shared/docs/style.md that a machine can check.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // Only runPlugin (which every plugin's main.ts calls) may touch the real process.
    files: ['plugins/**/*.ts', 'shared/**/*.ts'],
    ignores: ['plugins/*/main.ts', 'plugins/*/complete.ts', 'shared/cli/run-plugin.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Only main.ts may exit; throw an error with an exitCode instead.' },
        { object: 'process', property: 'env', message: 'Only main.ts reads the environment; inject it.' },
        { object: 'process', property: 'argv', message: 'Only main.ts reads argv.' },
      ],
    },
  },
  {
    // Loading @kubernetes/client-node costs ~400 ms of CPU: only the credential fallback imports
    // it, and client.ts loads that file with await import() when a kubeconfig needs it.
    files: ['plugins/**/*.ts', 'shared/**/*.ts'],
    ignores: ['shared/kube/client-node-credentials.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@kubernetes/client-node', '@kubernetes/client-node/*'],
              message: 'Only shared/kube/client-node-credentials.ts imports client-node.',
            },
            {
              group: ['**/client-node-credentials.js'],
              message: 'Load it with await import() (see shared/kube/client.ts): a static import loads client-node.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'sandbox/cli.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
