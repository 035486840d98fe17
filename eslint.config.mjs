// Lint with typescript-eslint's type-checked rules; formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      '.promptops-demo/**',
      '.promptops-server/**',
      'bench/.tmp/**',
      'src/core/access/generated/**',
      'src/core/eval/generated/**',
      'test/fixtures/**',
      'demo/sample-repo/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Ports are async because one implementation needs it (PostgreSQL, the file system);
      // the others (SQLite, in-memory) fulfil them synchronously.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // TypeBox's `Type` namespace keeps all of TypeBox in a bundle: use src/core/schemaTypes.ts.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typebox', message: 'Import Type from src/core/schemaTypes.ts (a few KB, not all of TypeBox).' },
          ],
        },
      ],
    },
  },
  { files: ['src/core/schemaTypes.ts'], rules: { 'no-restricted-imports': 'off' } },
);
