// Lint configuration: typescript-eslint's recommended rules plus the house rules
// from ../shared/docs/style.md that a machine can check.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
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
    // Only a plugin's main.ts (and the sandbox/bench entry points) may touch the real process.
    files: ['plugins/**/*.ts', 'shared/**/*.ts'],
    ignores: ['plugins/*/main.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'process', property: 'exit', message: 'Only main.ts may exit; throw an error with an exitCode instead.' },
        { object: 'process', property: 'env', message: 'Only main.ts reads the environment; inject it.' },
        { object: 'process', property: 'argv', message: 'Only main.ts reads argv.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'sandbox/cli.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
