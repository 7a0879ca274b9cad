// Bundles the CLI/TUI into dist/ with esbuild, in two builds:
// - dist/strata.js: the CLI's entry as one file with `ps` inside it. Every ES module costs node
//   ~0.5 ms to resolve, load and link; `strata ps` had 13 of them and must start in about the
//   time `node -e 0` takes (one file: 69 ms against 80 ms for 200 containers).
// - everything else the entry imports dynamically (the other verbs, the engine, the TUI), as
//   entries of one split build, so each of those modules exists once in a process. The entry's
//   own helpers (argument parsing, errors, formatting) are copied into both builds: errors are
//   told apart by name, never by instanceof, so the copies do not matter.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { NARROW_TEXT_SOURCE } from './narrow-text.mjs';

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
  // string-width sends any text with a character past ASCII (an ↑ in a header, a « marker, a
  // …) through a grapheme segmenter: ~25 ms of each frame of a coloured log. Text of
  // one-column characters only (scripts/narrow-text.mjs) is as wide as it is long.
  {
    // the copy Ink and its helpers load (wrap-ansi keeps an older one of its own)
    file: new RegExp(`^${path.resolve('node_modules/string-width/index.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    head: '// Fast path: printable ASCII (0x20–0x7E) needs no segmenter, regex, or EAW lookup — width equals length.',
    fast: `if (/${NARROW_TEXT_SOURCE}/.test(string)) return string.length;`,
  },
];
// Replacements in packages' code, each found exactly where written or the build stops.
const SOURCE_REPLACEMENTS = [
  // Yoga's emscripten loader asks `typeof fetch` before it reads its wasm from the data: URI it
  // always has here; in Node that question alone loads undici, 30–150 ms of the TUI's first frame.
  { file: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, find: '"function"!=typeof fetch', replace: 'true' },
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
    for (const file of new Set(SOURCE_REPLACEMENTS.map((r) => r.file.source))) {
      b.onLoad({ filter: new RegExp(file) }, async (args) => {
        let source = await fs.promises.readFile(args.path, 'utf8');
        for (const { find, replace } of SOURCE_REPLACEMENTS.filter((r) => r.file.source === file)) {
          if (!source.includes(find)) throw new Error(`${args.path}: "${find}" not found; update SOURCE_REPLACEMENTS in scripts/build.mjs`);
          source = source.replaceAll(find, replace);
        }
        return { contents: source, loader: 'js' };
      });
    }
  },
};

// The entry's dynamic imports, other than those inlined into it, become entries of the split
// build, named after their path under source/ ('cli/images.ts' → dist/cli-images.mjs).
const INLINED_IN_ENTRY = new Set([path.resolve('source/cli/ps.ts')]);
// Verb groups bundled whole (the engine included, its own dynamic imports inlined) into one
// CommonJS file that the entry requires: loading `run` as ~30 ES modules cost it ~25 ms.
const REQUIRED_FROM_ENTRY = new Map([[path.resolve('source/cli/containers-entry.ts'), 'cli-containers']]);
const splitEntries = {};
const dynamicImportsToSplitBuild = {
  name: 'dynamic-imports-to-split-build',
  setup(b) {
    b.onResolve({ filter: /^\./, namespace: 'file' }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const base = path.resolve(args.resolveDir, args.path.replace(/\.js$/, ''));
      const source = ['.ts', '.tsx'].map((ext) => base + ext).find((file) => fs.existsSync(file));
      if (!source) throw new Error(`${args.importer}: cannot find the source of import('${args.path}')`);
      if (INLINED_IN_ENTRY.has(source)) return { path: source };
      if (REQUIRED_FROM_ENTRY.has(source)) return { path: `./${REQUIRED_FROM_ENTRY.get(source)}.cjs`, namespace: 'require-bundle' };
      const name = path.relative(path.resolve('source'), source).replace(/\.tsx?$/, '').split(path.sep).join('-');
      splitEntries[name] = source;
      return { path: `./${name}.mjs`, external: true };
    });
    // required through a V8 code cache (source/cli/require-cached.ts), not plain require
    b.onLoad({ filter: /.*/, namespace: 'require-bundle' }, (args) => ({
      contents: `const { requireWithCodeCache } = require(${JSON.stringify(path.resolve('source/cli/require-cached.ts'))});\nmodule.exports = requireWithCodeCache(require('node:path').join(__dirname, ${JSON.stringify(args.path)}));`,
      resolveDir: path.resolve('source/cli'),
      loader: 'js',
    }));
  },
};

const common = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  // React's production build only (the bundled one is chosen here, not at run time).
  define: { 'process.env.NODE_ENV': '"production"' },
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
};

fs.rmSync('dist', { recursive: true, force: true });
// The entry is CommonJS (dist/package.json says so for dist/*.js): a CommonJS main never starts
// node's ES module loader, ~5 ms that `ps` then does not pay; the other verbs' first import() does.
fs.mkdirSync('dist');
fs.writeFileSync('dist/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);
await build({
  ...common,
  entryPoints: { strata: 'source/cli/main.ts' },
  format: 'cjs',
  splitting: false,
  banner: { js: '#!/usr/bin/env node' },
  plugins: [dynamicImportsToSplitBuild, packagesExternal],
});
if (splitEntries['extract-worker']) throw new Error('a split-build entry would overwrite dist/extract-worker.mjs');
await build({
  ...common,
  // extract-worker: the entry of the thread big layers are extracted on (layers/extract-thread.ts)
  entryPoints: { ...splitEntries, 'extract-worker': 'source/engine/layers/extract-worker.ts' },
  format: 'esm',
  splitting: true,
  // Bundled CommonJS (React) calls require for Node's own modules.
  banner: { js: "import { createRequire as __strataCreateRequire } from 'node:module';\nconst require = __strataCreateRequire(import.meta.url);" },
  outExtension: { '.js': '.mjs' },
  plugins: [packagesExternal, ansiFastPaths],
});
await build({
  ...common,
  entryPoints: Object.fromEntries([...REQUIRED_FROM_ENTRY].map(([source, name]) => [name, source])),
  format: 'cjs',
  splitting: false,
  outExtension: { '.js': '.cjs' },
  // The engine finds its addon, shim and extraction worker next to its own file.
  define: { ...common.define, 'import.meta.url': '__strataModuleUrl' },
  banner: { js: "const __strataModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [packagesExternal],
});
for (const file of ['dist/strata.js', ...[...REQUIRED_FROM_ENTRY.values()].map((name) => `dist/${name}.cjs`)]) memoizeToESM(file);
fs.chmodSync('dist/strata.js', 0o755);

// esbuild's CommonJS output wraps every `import fs from 'node:fs'` in __toESM, which copies the
// module's ~100 properties into a fresh namespace object; the container verbs' bundle does that
// 150 times (2.5 ms of each `strata run`). The namespaces of one module are interchangeable (each
// property is a getter onto the module), so each module's is made once. Node's own modules get
// no copy at all: their namespace is an object whose prototype is the module, which reads every
// property of it as the getters would (0.2 ms of `strata ps`). Inserted on the line of the next
// helper, so the source map's lines stay true.
function memoizeToESM(file) {
  const next = 'var __toCommonJS = ';
  let source = fs.readFileSync(file, 'utf8');
  if (!source.includes('var __toESM = ')) return; // no default imports of CommonJS: nothing to do
  if (!source.includes(next)) throw new Error(`${file}: "${next}" not found; update memoizeToESM in scripts/build.mjs`);
  const memo =
    'var __toESMOnce = __toESM, __toESMMade = new WeakMap(); ' +
    '__toESM = (mod, isNodeMode) => { if (!isNodeMode || mod === null || typeof mod !== "object") return __toESMOnce(mod, isNodeMode); ' +
    'let ns = __toESMMade.get(mod); if (ns === undefined) __toESMMade.set(mod, (ns = __toESMOnce(mod, isNodeMode))); return ns; }; ' +
    'var __builtinESM = (mod) => Object.create(mod, { default: { value: mod, enumerable: true } }); ';
  source = source.replace(/__toESM\((require\("node:[a-z_/]+"\)), 1\)/g, '__builtinESM($1)');
  fs.writeFileSync(file, source.replace(next, memo + next));
}
