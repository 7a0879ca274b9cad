// `build`: a Dockerfile's stages, step by step, each step an image on top of the last (an
// intermediate one, like docker's classic builder), reused from the cache when its parent,
// instruction and copied files are the same. RUN runs in a container; COPY/ADD/WORKDIR write a
// staging dir packed straight into a layer; the rest only change the config. Tags are written
// only when every step succeeded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImageConfig } from '../api.js';
import { EngineError } from '../errors.js';
import type { BuildHost } from './host.js';
import { composeImage, imageBase } from '../images/compose.js';
import { collectIfPending } from '../images/gc.js';
import type { ImageService } from '../images/image-service.js';
import type { StoredImage } from '../images/image-records.js';
import { parseReference } from '../images/reference.js';
import { findImage } from '../images/resolve.js';
import { layerFromDirectory } from '../layers/layer-from-dir.js';
import { MAX_LAYERS } from '../layers/limits.js';
import { downloadUrl } from './url-download.js';
import type { MergedLayers } from '../layers/merged-view.js';
import { resolveUser } from '../runtime/users.js';
import { withIngestLease, withLock } from '../store/lock.js';
import { BuildCache, stepKey } from './cache.js';
import { contextRelative, itemsDigest, treeSources, type CopyItem } from './copy-sources.js';
import { resolveInImage, StagingTree } from './copy-stage.js';
import { expandHeredocBody, expandWord, expandWords } from './expand.js';
import { archiveKind } from './local-archive.js';
import { applyMetadata, nopLine, type MetadataState } from './metadata.js';
import { dockerfileError, parseDockerfile, type Instruction } from './parser.js';
import { checkPlatform, platformArgs } from './platform.js';
import { removeMountPoints, runFlags } from './run-mounts.js';
import { mountsDigest, resolveMounts, withRunMounts } from './run-mount-prep.js';
import { contextTree, imageTree, mergedView, parseNamedContexts, type NamedContext, type TreeSource } from './tree-source.js';
import { exportOutput } from './output.js';
import { imageOfDirectory } from './context-image.js';
import { exportCache, importCache } from './cache-transfer.js';
import { exportCacheToRegistry, importCacheFromRegistry } from './cache-registry.js';
import { runArgv, withScriptDir } from './run-script.js';
import { runCommand } from './run-step.js';
import { ContextFs, LinkLoopError, readSmallFile } from './source-fs.js';
import { planStages, stageByRef } from './stages.js';
import type { BuildEvent, BuildOptions, BuildResult } from './types.js';

/** A failed step: exits 1 like `docker build`, carrying the step and the output's tail. */
export class BuildFailure extends EngineError {
  constructor(message: string, readonly step: number, readonly commandExitCode: number, readonly tail: string) {
    super(message, 'invalid');
  }

  override get exitCode(): number {
    return 1;
  }
}

interface StageState extends MetadataState {
  image?: StoredImage; // undefined: scratch with nothing on it yet
  args: Map<string, string>; // ARGs declared in this stage, with their values
}

export async function runBuild(engine: BuildHost, opts: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const emit = (e: BuildEvent) => opts.onEvent?.(e);
  const images = engine.images;
  for (const tag of opts.tags ?? []) parseReference(tag); // a bad tag fails before any work
  if (opts.platform !== undefined) checkPlatform(opts.platform);
  const context = path.resolve(opts.context);
  if (!fs.statSync(context, { throwIfNoEntry: false })?.isDirectory()) throw new EngineError(`unable to prepare context: path ${JSON.stringify(opts.context)} not found or not a directory`, 'invalid');
  const text = opts.dockerfileText ?? readDockerfile(opts.dockerfile ?? path.join(context, 'Dockerfile'));
  const parsed = parseDockerfile(text);
  const escape = parsed.escape;
  const buildArgs = new Map(Object.entries(opts.buildArgs ?? {}));
  const consumed = new Set<string>();

  const globalVars = platformArgs();
  for (const ins of parsed.instructions) {
    if (ins.keyword !== 'ARG') break;
    declareArgs(ins, globalVars, globalVars, buildArgs, consumed, escape);
  }
  const plan = planStages(parsed.instructions, globalVars, escape, opts.target);
  const total = plan.order.reduce((n, s) => n + 1 + s.steps.length, 0);
  const contextFs = new ContextFs(context, dockerignoreFile(context, opts));
  const named = parseNamedContexts(opts.buildContexts ?? {});
  const cache = new BuildCache(images);
  for (const src of opts.cacheFrom ?? []) cache.addImported(src.type === 'local' ? await importCache(images, src.dir) : await importCacheFromRegistry(engine, src.ref));
  const finals = new Map<number, StoredImage | undefined>();
  let step = 0;
  let cachedSteps = 0;

  for (const stage of plan.order) {
    step++;
    emit({ type: 'step', step, total, stage: stage.name ?? String(stage.index), line: stage.from.line, text: stage.from.original });
    const fromStarted = performance.now();
    let image: StoredImage | undefined;
    const override = named.get(stage.base.toLowerCase()); // --build-context name=… replaces a stage or image of that name
    if (override?.kind === 'dir') image = await imageOfDirectory(images, override.root, stage.base);
    else if (override) image = await baseImage(engine, override.ref, opts.pull === true, (text) => emit({ type: 'output', step, stream: 'stdout', text }), stage.from.line);
    else if (stage.baseStage !== undefined) image = finals.get(stage.baseStage);
    else if (stage.base.toLowerCase() !== 'scratch') image = await baseImage(engine, stage.base, opts.pull === true, (text) => emit({ type: 'output', step, stream: 'stdout', text }), stage.from.line);
    emit({ type: 'step-done', step, imageId: image?.id ?? 'scratch', cached: true, ms: performance.now() - fromStarted, layer: false });

    const state: StageState = { image, config: structuredClone(image?.config ?? {}), vars: new Map(), escape, cmdSetInStage: false, args: new Map() };
    const triggers = (image?.config.OnBuild ?? []).map((t) => ({ ...parseDockerfile(t).instructions[0], line: stage.from.line }));
    delete state.config.OnBuild; // triggers run once, in the image built FROM this one
    for (const ins of [...triggers, ...stage.steps]) {
      const isTrigger = triggers.includes(ins);
      if (!isTrigger) step++;
      emit({ type: 'step', step, total, stage: stage.name ?? String(stage.index), line: ins.line, text: isTrigger ? `# Executing ONBUILD trigger: ${ins.original}` : ins.original });
      const stepStarted = performance.now();
      state.vars = scopeVars(state);
      const outcome = await runStep(engine, images, cache, {
        ins, state, step, opts, emit, contextFs, finals, plan, globalVars, buildArgs, consumed, named,
      });
      if (outcome.cached) cachedSteps++;
      emit({ type: 'step-done', step, imageId: state.image!.id, cached: outcome.cached, ms: performance.now() - stepStarted, layer: outcome.layer });
    }
    if (stage === plan.target && Object.keys(opts.labels ?? {}).length > 0) {
      // --label: as a LABEL at the end of the target stage, with no step of its own
      const args = Object.entries(opts.labels!).map(([k, v]) => `${quoted(k, escape)}=${quoted(v, escape)}`).join(' ');
      const ins: Instruction = { keyword: 'LABEL', line: stage.from.line, flags: {}, args, heredocs: [], original: `LABEL ${args}` };
      state.vars = scopeVars(state);
      await runStep(engine, images, cache, { ins, state, step, opts, emit, contextFs, finals, plan, globalVars, buildArgs, consumed, named });
    }
    if (stage.steps.length === 0 && triggers.length === 0 && state.image === undefined && stage === plan.target) {
      throw dockerfileError(stage.from.line, 'the target stage is FROM scratch with no steps: there is no image to build');
    }
    finals.set(stage.index, state.image);
  }

  const unused = [...buildArgs.keys()].filter((k) => !consumed.has(k));
  if (unused.length > 0) emit({ type: 'warning', message: `[Warning] One or more build-args [${unused.join(' ')}] were not consumed` });

  const final = finals.get(plan.target.index);
  if (!final) throw new EngineError('the build produced no image', 'internal');
  if (opts.output) await exportOutput(images, final, opts.output);
  // with --output and no tag, docker loads no image: this one stays a hidden build-cache image
  if (!opts.output || (opts.tags ?? []).length > 0) await withLock(images.paths, () => {
    const record = images.records.read(final.id);
    if (record?.intermediate) {
      delete record.intermediate;
      images.records.write(record);
    }
  });
  for (const tag of opts.tags ?? []) await images.tag(final.id, tag);
  if (opts.cacheTo?.type === 'local') await exportCache(images, opts.cacheTo.dir, cache.used);
  else if (opts.cacheTo) await exportCacheToRegistry(engine, opts.cacheTo.ref, cache.used);
  await collectIfPending(images).catch(() => {});
  emit({ type: 'done', imageId: final.id, tags: opts.tags ?? [], ms: performance.now() - started });
  return { imageId: final.id, tags: opts.tags ?? [], steps: step, cached: cachedSteps };
}

/** A word in double quotes for the Dockerfile lexer: nothing in it expands. */
function quoted(text: string, escape: string): string {
  return `"${text.replace(/["$]|\\|`/g, (c) => (c === escape || c === '"' || c === '$' ? `${escape}${c}` : c))}"`;
}

function readDockerfile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new EngineError(`failed to read dockerfile: open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`, 'invalid');
  }
}

/** `<Dockerfile>.dockerignore` beside the Dockerfile when there is one (BuildKit), else the context's. */
function dockerignoreFile(context: string, opts: BuildOptions): string {
  const beside = opts.dockerfileText === undefined ? `${path.resolve(opts.dockerfile ?? path.join(context, 'Dockerfile'))}.dockerignore` : undefined;
  return beside && fs.existsSync(beside) ? beside : path.join(context, '.dockerignore');
}

/** ARG NAME[=default] …: the value is the --build-arg, else the default, else (in a stage) the global one. */
function declareArgs(ins: Instruction, into: Map<string, string>, globals: ReadonlyMap<string, string>, buildArgs: Map<string, string>, consumed: Set<string>, escape: string, vars: ReadonlyMap<string, string> = into): void {
  const words = expandWords(ins.args, vars, escape);
  if (words.length === 0) throw dockerfileError(ins.line, 'ARG requires at least one argument');
  for (const word of words) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw dockerfileError(ins.line, `ARG: invalid name ${JSON.stringify(name)}`);
    consumed.add(name);
    const value = buildArgs.get(name) ?? (eq >= 0 ? word.slice(eq + 1) : globals.get(name));
    if (value !== undefined) into.set(name, value);
    else into.delete(name);
  }
}

/** What ${X} means in a step: the stage's ARGs, overridden by the image's ENV. */
function scopeVars(state: StageState): Map<string, string> {
  const vars = new Map(state.args);
  for (const kv of state.config.Env ?? []) {
    const eq = kv.indexOf('=');
    if (eq > 0) vars.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return vars;
}

/** FROM's image: the store's, or pulled (always with --pull), as docker's builder does. */
async function baseImage(engine: BuildHost, ref: string, pull: boolean, say: (text: string) => void, line: number): Promise<StoredImage> {
  const found = pull ? undefined : findImage(engine.images, ref);
  if (found) return found;
  say(`Pulling ${ref}\n`);
  try {
    await engine.pullImage(ref);
  } catch (err) {
    throw dockerfileError(line, `FROM ${ref}: ${(err as Error).message}`);
  }
  const image = findImage(engine.images, ref);
  if (!image) throw dockerfileError(line, `FROM ${ref}: No such image after pulling it`);
  return image;
}

interface StepInput {
  ins: Instruction;
  state: StageState;
  step: number;
  opts: BuildOptions;
  emit: (e: BuildEvent) => void;
  contextFs: ContextFs;
  finals: Map<number, StoredImage | undefined>;
  plan: ReturnType<typeof planStages>;
  globalVars: Map<string, string>;
  buildArgs: Map<string, string>;
  consumed: Set<string>;
  named: Map<string, NamedContext>;
}

/**
 * The tree a --from (COPY, RUN --mount) names: a --build-context of that name first, then an
 * earlier stage, then an image; no name: the build context.
 */
async function treeByRef(engine: BuildHost, input: StepInput, ref: string | undefined, fail: (why: string) => EngineError): Promise<TreeSource> {
  if (ref === undefined) return contextTree(input.contextFs);
  const named = input.named.get(ref.toLowerCase());
  if (named?.kind === 'dir') return contextTree(new ContextFs(named.root));
  if (named) return imageTree(engine.images, await baseImage(engine, named.ref, false, () => {}, input.ins.line));
  const current = input.plan.stages.find((s) => s.steps.includes(input.ins));
  const stage = stageByRef(input.plan.stages, ref, current?.index ?? input.plan.stages.length);
  const image = stage ? input.finals.get(stage.index) : findImage(engine.images, ref);
  if (!image && !stage) throw fail(`--from=${ref}: no stage or image of that name (strata build does not pull)`);
  return imageTree(engine.images, image);
}

interface StepOutcome { cached: boolean; layer: boolean }

async function runStep(engine: BuildHost, images: ImageService, cache: BuildCache, input: StepInput): Promise<StepOutcome> {
  const { ins, state } = input;
  const fail = (why: string) => dockerfileError(ins.line, `${ins.keyword} failed: ${why}`);
  const parentId = state.image?.id ?? 'scratch';

  // Reuses the cached image for this key, or makes one with `make` and remembers it.
  const step = async (createdBy: string, digest: string, make: () => Promise<StoredImage>): Promise<StepOutcome> => {
    const key = stepKey(parentId, createdBy, digest);
    const hit = input.opts.noCache ? undefined : cache.lookup(key);
    const cachedImage = hit ? images.records.read(hit) : undefined;
    const parentLayers = state.image?.diffIds.length ?? 0;
    if (cachedImage) {
      state.image = cachedImage;
      state.config = structuredClone(cachedImage.config);
      input.emit({ type: 'cached', step: input.step, imageId: cachedImage.id });
      return { cached: true, layer: cachedImage.diffIds.length > parentLayers };
    }
    const made = await make();
    cache.store(key, made.id);
    const layer = made.diffIds.length > parentLayers;
    state.image = made;
    state.config = structuredClone(made.config);
    return { cached: false, layer };
  };
  // An image from the current one plus an optional layer packed from dir (hardlinked, not
  // copied: a step's upper dir and a staging dir are deleted right after).
  const compose = (createdBy: string, config: ImageConfig, dir?: { path: string; overlay: boolean }) => withIngestLease(images.paths, async () => {
    if (dir && (state.image?.diffIds.length ?? 0) >= MAX_LAYERS) throw fail('max depth exceeded'); // docker's words: a container could not mount one more
    const base = await imageBase(images, state.image);
    const layer = dir ? await layerFromDirectory(images, state.image?.chainIds.at(-1) ?? null, dir.path, { overlay: dir.overlay, link: true }) : undefined;
    return composeImage(images, base, {
      config,
      author: state.author,
      history: { created_by: createdBy, ...(state.author ? { author: state.author } : {}) },
      layer: layer ? { diffId: layer.record.diffId, blob: layer.blob } : undefined,
      intermediate: true,
    });
  });
  // A staging dir in the store's tmp/ (same filesystem), removed whatever happens.
  const withStaging = async <T>(fn: (dir: string, tree: StagingTree) => Promise<T>): Promise<T> => {
    const dir = path.join(images.paths.tmpDir, `build-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    fs.mkdirSync(dir, { mode: 0o755 });
    try {
      return await fn(dir, new StagingTree(dir, mergedView(images, state.image)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  switch (ins.keyword) {
    case 'ARG': {
      declareArgs(ins, state.args, input.globalVars, input.buildArgs, input.consumed, state.escape, state.vars);
      return step(nopLine(state.config, `ARG ${ins.args}`), '', () => compose(nopLine(state.config, `ARG ${ins.args}`), state.config));
    }
    case 'RUN': {
      if (!state.image) throw fail('RUN cannot run in an empty (scratch) image: there is no shell');
      const runFail = (why: string) => dockerfileError(ins.line, why);
      const flags = runFlags(expandFlags(ins.flags, state), { secrets: input.opts.secrets, ssh: input.opts.ssh, workdir: state.config.WorkingDir }, runFail);
      const resolved = await resolveMounts(flags.mounts, (from) => treeByRef(engine, input, from, fail), runFail);
      const { argv, script } = runArgv(ins, state.config);
      const envKeys = new Set((state.config.Env ?? []).map((e) => e.split('=', 1)[0]));
      const argEnv = [...state.args].filter(([k]) => !envKeys.has(k)).map(([k, v]) => `${k}=${v}`);
      const createdBy = `${argEnv.length > 0 ? `|${argEnv.length} ${argEnv.join(' ')} ` : ''}${argv.join(' ')}`;
      const mountsKey = flags.key === '' ? '' : `${flags.key}\n${mountsDigest(resolved)}`;
      // the lease keeps garbage collection off tmp/, where the script and bind copies are while the command runs
      return step(createdBy, mountsKey, () => withIngestLease(images.paths, () => withScriptDir(images, script, (scriptMounts) => withRunMounts(images.paths, resolved, async (runMounts) => {
        const mounts = [...scriptMounts, ...runMounts];
        const run = await runCommand(engine, {
          parentId: state.image!.id,
          argv,
          env: [...argEnv, ...flags.env],
          network: flags.network ?? input.opts.network,
          extraHosts: input.opts.extraHosts,
          mounts,
          onStart: (containerId) => input.emit({ type: 'running', step: input.step, containerId }),
          onOutput: (stream, text) => input.emit({ type: 'output', step: input.step, stream, text }),
        });
        try {
          if (run.exitCode !== 0) {
            throw new BuildFailure(`Dockerfile:${ins.line}: step ${input.step}: the command '${argv.join(' ')}' returned a non-zero code: ${run.exitCode}`, input.step, run.exitCode, run.tail);
          }
          const upper = engine.containers.paths.upper(run.containerId);
          removeMountPoints(upper, mounts, mergedView(images, state.image));
          return await compose(createdBy, state.config, { path: upper, overlay: true });
        } finally {
          if (run.containerId) await engine.removeContainer(run.containerId, true).catch(() => {});
        }
      }))));
    }
    case 'COPY':
    case 'ADD': {
      const items = await copyItems(engine, input, fail);
      try {
        const words = items.words;
        const dest = expandWord(words[words.length - 1], state.vars, state.escape);
        const absDest = dest.startsWith('/') ? dest : `${(state.config.WorkingDir || '/').replace(/\/$/, '')}/${dest}`;
        const chown = ins.flags.chown?.[0] !== undefined ? chownIds(expandWord(ins.flags.chown[0], state.vars, state.escape), mergedView(images, state.image), fail) : undefined;
        const chmodText = ins.flags.chmod?.[0];
        if (chmodText !== undefined && !/^[0-7]{3,4}$/.test(chmodText)) throw fail(`invalid --chmod=${chmodText}: an octal mode is expected`);
        const chmod = chmodText !== undefined ? parseInt(chmodText, 8) : undefined;
        const digest = itemsDigest(items.list);
        const flags = Object.entries(ins.flags).map(([k, v]) => `--${k}=${v.join(',')} `).join('');
        const createdBy = nopLine(state.config, `${ins.keyword} ${flags}${items.describe}:${digest.slice(7)} in ${absDest} `);
        return await step(createdBy, digest, () => withStaging(async (dir, tree) => {
          await tree.copy(items.list, { dest: absDest, chown, chmod }, items.many, fail);
          tree.finish();
          return compose(createdBy, state.config, { path: dir, overlay: false });
        }));
      } finally {
        removeDownloads(items.list);
      }
    }
    case 'WORKDIR': {
      // the config as any metadata instruction; the directory, when new, is a layer
      const meta: MetadataState = { ...state, config: structuredClone(state.config) };
      const createdBy = applyMetadata(ins, meta);
      const config = meta.config;
      const dir = config.WorkingDir!;
      const view = mergedView(images, state.image);
      const exists = view.stat(resolveInImage(view, dir).slice(1))?.isDirectory() === true;
      const owner = config.User ? chownIds(config.User, view, fail) : undefined;
      return step(createdBy, '', () => (exists || !state.image ? compose(createdBy, config) : withStaging(async (staging, tree) => {
        tree.makeDir(dir, owner);
        tree.finish();
        return compose(createdBy, config, { path: staging, overlay: false });
      })));
    }
    default: {
      const config = structuredClone(state.config);
      const meta: MetadataState = { ...state, config };
      const createdBy = applyMetadata(ins, meta);
      state.cmdSetInStage = meta.cmdSetInStage;
      state.author = meta.author;
      return step(createdBy, '', () => compose(createdBy, meta.config));
    }
  }
}

async function copyItems(engine: BuildHost, input: StepInput, fail: (why: string) => EngineError): Promise<{ words: string[]; list: CopyItem[]; many: boolean; describe: string }> {
  const { ins, state } = input;
  const words = ins.json ? ins.json.map((w) => expandWord(w, state.vars, state.escape)) : expandWords(ins.args, state.vars, state.escape);
  if (words.length < 2) throw fail(`${ins.keyword} requires at least two arguments, but got ${words.length}`);
  const from = ins.flags.from?.[0];
  if (from !== undefined && ins.keyword === 'ADD') throw fail('ADD does not take --from; use COPY --from');
  // a source's links resolve inside its tree (never on the host); a named link is followed, as docker does
  const tree = await treeByRef(engine, input, from === undefined ? undefined : expandWord(from, state.vars, state.escape), fail);
  const { fsys, follow } = tree;
  const list: CopyItem[] = [];
  let sourceCount = 0;
  for (const source of words.slice(0, -1)) {
    const heredoc = /^<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1$/.exec(source);
    if (heredoc) {
      const doc = ins.heredocs.find((h) => h.name === heredoc[2])!;
      list.push({ kind: 'heredoc', name: doc.name, body: doc.expand ? expandHeredocBody(doc.body, state.vars) : doc.body });
      sourceCount++;
    } else if (ins.keyword === 'ADD' && /^https?:\/\//i.test(source)) {
      list.push(await downloadUrl(source, engine.images.paths.tmpDir, fail).catch((err: unknown) => {
        removeDownloads(list); // the ones before this
        throw err;
      }));
      sourceCount++;
    } else try {
      const rel = follow(tree.isContext ? contextRelative(source, fail) : source.replace(/^\/+/, '').replace(/\/+$/, ''), false);
      for (const found of treeSources(fsys, rel, source, fail)) {
        const real = follow(found.rel, true);
        if (!fsys.stat(real)) throw fail(`${source}: ${found.rel} is a symbolic link to nothing in the ${tree.isContext ? 'build context' : 'image'}`);
        const format = ins.keyword === 'ADD' && from === undefined && fsys.stat(real)?.isFile() ? archiveKind(fsys.hostPath(real)) : undefined;
        const item = { fsys, rel: real, name: path.posix.basename(found.rel) };
        list.push(format ? { kind: 'archive', ...item, format } : { kind: 'tree', ...item });
        sourceCount++;
      }
    } catch (err) {
      throw err instanceof LinkLoopError ? fail(err.message) : err;
    }
  }
  // as docker: a wildcard may match nothing as long as some source gave something
  if (list.length === 0) throw fail(`no source files were specified: nothing matches ${words.slice(0, -1).join(' ')}`);
  const describe = list.length === 1 && list[0].kind === 'tree' && list[0].fsys.stat(list[0].rel)?.isDirectory() ? 'dir' : list.length === 1 ? 'file' : 'multi';
  return { words, list, many: sourceCount > 1, describe };
}

/** RUN's flag values with the step's variables expanded (BuildKit expands them too). */
function expandFlags(flags: Record<string, string[]>, state: StageState): Record<string, string[]> {
  return Object.fromEntries(Object.entries(flags).map(([name, values]) => [name, values.map((v) => expandWord(v, state.vars, state.escape))]));
}

function removeDownloads(list: CopyItem[]): void {
  for (const item of list) if (item.kind === 'url') fs.rmSync(item.file, { force: true });
}

/** --chown=user[:group] with names looked up in the image's own passwd and group files. */
function chownIds(spec: string, view: MergedLayers, fail: (why: string) => EngineError): { uid: number; gid: number } {
  const numeric = /^(\d+)(?::(\d+))?$/.exec(spec);
  if (numeric) return { uid: Number(numeric[1]), gid: Number(numeric[2] ?? numeric[1]) };
  const root = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'strata-chown-'));
  try {
    fs.mkdirSync(path.join(root, 'etc'));
    for (const file of ['passwd', 'group']) {
      const text = readSmallFile(view, `etc/${file}`);
      if (text !== undefined) fs.writeFileSync(path.join(root, 'etc', file), text);
    }
    const user = resolveUser(root, spec);
    return { uid: user.uid, gid: user.gid };
  } catch (err) {
    throw fail(`--chown=${spec}: ${(err as Error).message}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
