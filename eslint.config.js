// Lint: typescript-eslint's recommended rules plus the project's two boundaries:
// the suite never imports the embedded target (sim/), and sim/ never imports the suite.
import tseslint from 'typescript-eslint';

const suiteFiles = ['support/**/*.ts', 'step-definitions/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', '.cache/**', '.tmp/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.name='setTimeout'][arguments.length=2] > Literal[value>=1000]",
        message: 'No fixed sleeps of a second or more: wait on state with a timeout.',
      }],
    },
  },
  {
    files: suiteFiles,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/sim/**', '../sim', '../../sim'], message: 'The suite reaches the embedded target only through kubeconfigs, its CLI and its control surface.' }] }],
    },
  },
  {
    files: ['sim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/support/**', '**/step-definitions/**', '**/test/unit/**'], message: 'sim/ must not share logic with the suite it is judged by.' }] }],
    },
  },
  {
    files: ['support/**/*.ts'],
    ignores: ['support/cucumber/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@cucumber/cucumber', message: 'Only support/cucumber/ imports Cucumber; the domain layer stays Cucumber-free.' }], patterns: [{ group: ['**/sim/**'], message: 'The suite never imports sim/.' }] }],
    },
  },
);
