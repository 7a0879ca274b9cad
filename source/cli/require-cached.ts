// Loads a bundled CommonJS file the way require does, but with a V8 code cache beside it: the
// container verbs' bundle is ~470 KB, and compiling it (then each function it runs) cost
// `strata run` more than 15 ms of every start. The cache is written once, at exit of a process
// that found none, so it holds the functions that run used; V8 checks it against its own
// version and flags, and the file name holds the bundle's size and mtime, so a rebuilt bundle
// never meets a stale cache. A cache that cannot be read or written only costs that time.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_TAIL = '\n});';

export function requireWithCodeCache(file: string): unknown {
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const cacheDir = path.join(path.dirname(file), '.v8-cache');
  const cacheFile = path.join(cacheDir, `${path.basename(file)}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${stat.ino}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(WRAPPER_HEAD + source + WRAPPER_TAIL, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => writeCache(script, file, cacheDir, cacheFile));
  const module = { exports: {} as unknown, filename: file, loaded: false };
  const wrapped = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapped.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}

function writeCache(script: vm.Script, file: string, cacheDir: string, cacheFile: string): void {
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    for (const old of fs.readdirSync(cacheDir)) if (old.startsWith(`${path.basename(file)}-`)) fs.rmSync(path.join(cacheDir, old), { force: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, cacheFile);
  } catch {
    // an optimisation only: a read-only install runs as fast as it did without it
  }
}
