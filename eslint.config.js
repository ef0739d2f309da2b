import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'docs/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The kernel must stay deterministic: no ambient randomness or wall clock in the simulation.
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use the battle PRNG (actors/unit/rng.ts).' }],
    },
  },
  {
    files: ['actors/unit/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use the battle PRNG.' },
        { object: 'Date', property: 'now', message: 'The kernel has no wall clock.' },
        { object: 'performance', property: 'now', message: 'The kernel has no wall clock.' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
