// Stages: the instructions between one FROM and the next. The target (--target or the last
// stage) and the stages it needs (FROM <stage>, COPY --from=<stage>) are built, in file order;
// the others are skipped, as BuildKit does. ARGs before the first FROM are the global ones.
import { EngineError } from '../errors.js';
import type { Instruction } from './parser.js';
import { dockerfileError } from './parser.js';
import { expandWord, type Vars } from './expand.js';

export interface Stage {
  index: number;
  name?: string; // AS name, lower case
  from: Instruction;
  base: string; // FROM's image after expansion: a reference, "scratch" or an earlier stage's name
  baseStage?: number;
  steps: Instruction[]; // after FROM
}

export interface StagePlan {
  globalArgs: Instruction[];
  stages: Stage[];
  order: Stage[]; // what is built, in order
  target: Stage;
}

export function planStages(instructions: Instruction[], globalVars: Vars, escape: string, target?: string): StagePlan {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const raw = ins.args.trim().split(/\s+/);
      const words = raw.map((w) => expandWord(w, globalVars, escape));
      if (words.length !== 1 && !(words.length === 3 && words[1].toLowerCase() === 'as')) {
        throw dockerfileError(ins.line, `FROM requires either one argument, or three: FROM <source> [AS <name>]`);
      }
      const name = words[2]?.toLowerCase();
      if (name !== undefined && !/^[a-z][a-z0-9-_.]*$/.test(name)) throw dockerfileError(ins.line, `invalid name for build stage: ${JSON.stringify(words[2])}, name can't start with a number or contain symbols`);
      if (name !== undefined && stages.some((s) => s.name === name)) throw dockerfileError(ins.line, `duplicate name ${words[2]}`);
      if (words[0] === '') throw dockerfileError(ins.line, `FROM: base name (${raw[0]}) should not be blank`);
      const base = words[0];
      const baseStage = stages.find((s) => s.name === base.toLowerCase())?.index;
      stages.push({ index: stages.length, name, from: ins, base, baseStage, steps: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') throw dockerfileError(ins.line, `${ins.keyword} before the first FROM: only ARG may come first`);
      globalArgs.push(ins);
    } else {
      stages[stages.length - 1].steps.push(ins);
    }
  }
  if (stages.length === 0) throw dockerfileError(instructions.at(-1)?.line ?? 1, 'no FROM instruction: a Dockerfile must start with FROM (after any ARG)');

  let targetStage = stages[stages.length - 1];
  if (target !== undefined) {
    const found = stageByRef(stages, target, stages.length);
    if (!found) throw new EngineError(`target stage ${JSON.stringify(target)} could not be found`, 'invalid');
    targetStage = found;
  }

  const needed = new Set<number>();
  const visit = (stage: Stage) => {
    if (needed.has(stage.index)) return;
    needed.add(stage.index);
    if (stage.baseStage !== undefined) visit(stages[stage.baseStage]);
    for (const step of stage.steps) {
      for (const ref of stepSources(step).map((r) => expandWord(r, globalVars, escape))) {
        const dep = stageByRef(stages, ref, stage.index);
        if (dep) visit(dep);
        else if (/^\d+$/.test(ref)) throw dockerfileError(step.line, `${step.keyword} --from=${ref}: there is no stage ${ref} before this one`);
      }
    }
  };
  visit(targetStage);
  return { globalArgs, stages, order: stages.filter((s) => needed.has(s.index)), target: targetStage };
}

/** The other stages a step reads: COPY --from, RUN --mount=…,from=. */
function stepSources(step: Instruction): string[] {
  if (step.keyword === 'COPY') return step.flags.from?.slice(0, 1) ?? [];
  if (step.keyword !== 'RUN') return [];
  return (step.flags.mount ?? []).flatMap((spec) => spec.split(',').filter((kv) => kv.startsWith('from=')).map((kv) => kv.slice(5)));
}

/** A stage named by AS name or by index, among those before `before`. */
export function stageByRef(stages: Stage[], ref: string, before: number): Stage | undefined {
  if (/^\d+$/.test(ref)) {
    const i = Number(ref);
    return i < before ? stages[i] : undefined;
  }
  const lower = ref.toLowerCase();
  return stages.slice(0, before).find((s) => s.name === lower);
}
