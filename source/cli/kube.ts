// strata kube play|generate: Kubernetes YAML run as containers, and containers written as a
// Pod, as podman's `kube` verbs do. The plan, the play and the YAML live in source/compose/kube/.
import fs from 'node:fs';
import path from 'node:path';
import { type CommandSpec, flagBool, flagString } from './args.js';
import type { VerbMain } from './context.js';
import { CliError } from './errors.js';
import { parseSubcommand } from './subcommands.js';
import { SUMMARIES } from './summaries.js';

const SPECS: Record<string, CommandSpec> = {
  play: {
    name: 'kube play', usage: '[OPTIONS] KUBEFILE|-', summary: 'Play a pod or deployment based on Kubernetes YAML',
    flags: [
      { long: 'down', kind: 'bool', help: 'Stop and remove the pods and containers the YAML describes (claims are kept)' },
      { long: 'replace', kind: 'bool', help: 'Remove what the YAML describes first, then play it' },
      { long: 'start', kind: 'bool', help: 'Start the pods after creating them (default true)' },
    ],
    minArgs: 1, maxArgs: 1,
  },
  generate: {
    name: 'kube generate', usage: '[OPTIONS] CONTAINER...|POD', summary: 'Generate Kubernetes YAML (a Pod) from containers or a played pod',
    flags: [
      { long: 'filename', short: 'f', kind: 'string', help: 'Write output to the specified path' },
      { long: 'type', short: 't', kind: 'string', help: 'Generate YAML for the given Kubernetes kind (pod)' },
    ],
    minArgs: 1,
  },
};

export const main: VerbMain = async (_verb, argv, ctx) => {
  const chosen = parseSubcommand('kube', SUMMARIES.kube, SPECS, argv, ctx);
  if (typeof chosen === 'number') return chosen;
  const { sub, p } = chosen;
  const engine = await ctx.engine();
  const { KubeError } = await import('../compose/kube/errors.js');
  try {
    if (sub === 'generate') {
      const type = flagString(p, 'type') ?? 'pod';
      if (type !== 'pod') throw new CliError(`invalid --type "${type}": strata generates pod`);
      const { generatePod } = await import('../compose/kube/generate.js');
      const yaml = await generatePod(engine, p.args);
      const out = flagString(p, 'filename');
      if (out) fs.writeFileSync(out, yaml);
      else ctx.stdout.write(yaml);
      return 0;
    }
    const file = p.args[0];
    let text: string;
    try {
      text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path.resolve(file), 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`);
    }
    const { planKubeFile } = await import('../compose/kube/plan.js');
    const { downKube, playKube } = await import('../compose/kube/play.js');
    const plan = planKubeFile(text, file);
    if (flagBool(p, 'down')) {
      const removed = await downKube(engine, plan);
      ctx.stdout.write(removed.length ? `Pods stopped:\n${removed.join('\n')}\nPods removed:\n${removed.join('\n')}\n` : '');
      return 0;
    }
    const played = await playKube(engine, plan, { replace: flagBool(p, 'replace'), start: p.flags.start !== false });
    for (const pod of played) ctx.stdout.write(`Pod:\n${pod.name}\nContainers:\n${pod.containers.map((c) => c.id).join('\n')}\n\n`);
    return 0;
  } catch (error) {
    if (error instanceof KubeError) throw new CliError(error.message);
    throw error;
  }
};
