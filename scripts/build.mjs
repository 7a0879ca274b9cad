// Bundles the CLI/TUI into dist/ with esbuild. The CLI entry stays small: the TUI and
// heavy verbs are dynamic imports, split into their own chunks, loaded only when used.
import { build } from 'esbuild';
import fs from 'node:fs';

fs.rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { strata: 'source/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  jsx: 'automatic',
  banner: { js: '#!/usr/bin/env node' },
  outExtension: { '.js': '.js' },
  logLevel: 'warning',
});
fs.chmodSync('dist/strata.js', 0o755);
