// The build form's values as the engine's build options and the same `strata build` command:
// a relative Dockerfile is found in the context (as the form's hint says), build args are
// KEY=VALUE words, no-cache a yes.
import path from 'node:path';
import type { BuildOptions } from '../../engine/api.js';
import { shellWords } from '../../engine/format/shell-words.js';
import { cliCommand } from './cli-command.js';

export const BUILD_FIELDS = ['context', 'dockerfile', 'tag', 'buildArgs', 'target', 'noCache'] as const;
export type BuildFormValues = Partial<Record<(typeof BUILD_FIELDS)[number], string>>;

export interface BuildRequest {
  options: Omit<BuildOptions, 'onEvent'>;
  command: string; // for the command log
  title: string; // the build pane's header: `context (tag)`
}

const YES = /^(y|yes|true|1|on)$/i;
const NO = /^(|n|no|false|0|off)$/i;

/** Throws an Error naming the field that is wrong. */
export function buildRequest(values: BuildFormValues, cwd: string): BuildRequest {
  const context = path.resolve(cwd, values.context?.trim() || '.');
  const file = values.dockerfile?.trim();
  const dockerfile = file ? path.resolve(context, file) : undefined;
  const tag = values.tag?.trim() || undefined;
  const buildArgs: Record<string, string> = {};
  for (const word of shellWords(values.buildArgs ?? '')) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`build arg "${word}": expected KEY=VALUE`);
    buildArgs[word.slice(0, eq)] = word.slice(eq + 1);
  }
  const target = values.target?.trim() || undefined;
  const noCacheText = values.noCache?.trim() ?? '';
  if (!YES.test(noCacheText) && !NO.test(noCacheText)) throw new Error(`no cache "${noCacheText}": expected y or n`);
  const noCache = YES.test(noCacheText);
  const hasArgs = Object.keys(buildArgs).length > 0;
  const options: BuildRequest['options'] = {
    context,
    ...(dockerfile ? { dockerfile } : {}),
    ...(tag ? { tags: [tag] } : {}),
    ...(hasArgs ? { buildArgs } : {}),
    ...(target ? { target } : {}),
    ...(noCache ? { noCache } : {}),
  };
  const words = [
    'build',
    ...(tag ? ['-t', tag] : []),
    ...(dockerfile ? ['-f', dockerfile] : []),
    ...Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...(target ? ['--target', target] : []),
    ...(noCache ? ['--no-cache'] : []),
    context,
  ];
  return { options, command: cliCommand(...words), title: tag ? `${context} (${tag})` : context };
}
