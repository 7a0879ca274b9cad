// Lint of source/: the rules of hooks (and complete effect dependencies) for the TUI, and the
// few plain-JavaScript rules whose exceptions the code marks. Syntax only, no type information, so it stays fast.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default [
  {
    files: ['source/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-control-regex': 'error',
    },
  },
];
