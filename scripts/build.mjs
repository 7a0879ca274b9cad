// Bundles the CLI/TUI into dist/ with esbuild. The CLI entry stays small: the TUI and
// heavy verbs are dynamic imports, split into their own chunks, loaded only when used.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

// Packages stay external (loaded from node_modules at run time), except the TUI's Ink and React:
// Ink is ~100 small modules, and loading them one by one cost the TUI's first frame ~300 ms;
// bundled into the TUI's chunk they load in one read. CLI verbs never load that chunk.
const BUNDLED_PACKAGES = /^(ink|react|react\/jsx-runtime|react-reconciler)$/;
const packagesExternal = {
  name: 'packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const fromOurSource = !args.importer.includes(`${path.sep}node_modules${path.sep}`);
      if (fromOurSource && !BUNDLED_PACKAGES.test(args.path)) return { path: args.path, external: true };
      if (args.path === 'react-devtools-core') return { path: args.path, namespace: 'no-devtools' }; // Ink's DEV=true only
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'no-devtools' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

// Ink turns every frame into a string char by char, asking @alcalzone/ansi-tokenize for the
// style change between neighbours; that builds Sets per character even when nothing changes —
// ~30 MB/s of garbage under a fast log, most of the TUI's RSS. Where nothing changes (nearly
// every character) these answer at once, with what the full computation gives.
const ANSI_FAST_PATHS = [
  {
    file: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]diff\.js$/,
    head: 'export function diffAnsiCodes(from, to) {',
    fast: 'if (from.length === to.length && from.every((c, i) => c.code === to[i].code && c.endCode === to[i].endCode)) return [];',
  },
  {
    file: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]ansiCodes\.js$/,
    head: 'export function ansiCodesToString(codes) {',
    fast: "if (codes.length === 0) return '';",
  },
];
const ansiFastPaths = {
  name: 'ansi-fast-paths',
  setup(b) {
    for (const { file, head, fast } of ANSI_FAST_PATHS) {
      b.onLoad({ filter: file }, async (args) => {
        const source = await fs.promises.readFile(args.path, 'utf8');
        if (!source.includes(head)) throw new Error(`${args.path}: "${head}" not found; update ANSI_FAST_PATHS in scripts/build.mjs`);
        return { contents: source.replace(head, `${head}\n    ${fast}`), loader: 'js' };
      });
    }
  },
};

fs.rmSync('dist', { recursive: true, force: true });
await build({
  // extract-worker: the entry of the thread big layers are extracted on (layers/extract-thread.ts)
  entryPoints: { strata: 'source/cli/main.ts', 'extract-worker': 'source/engine/layers/extract-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [packagesExternal, ansiFastPaths],
  // React's production build only (the bundled one is chosen here, not at run time).
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled CommonJS (React) calls require for Node's own modules.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __strataCreateRequire } from 'node:module';\nconst require = __strataCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  jsx: 'automatic',
  outExtension: { '.js': '.js' },
  logLevel: 'warning',
});
fs.chmodSync('dist/strata.js', 0o755);
