// A file named on the command line as the input of import or load, opened for reading or
// refused in one line as docker does ("open x: no such file or directory", "read x: is a directory"),
// exit 1 as the docker CLI gives for a failed verb.
import fs from 'node:fs';
import { CliError, EXIT_VERB_FAILED } from './errors.js';

export function openInputFile(file: string, highWaterMark = 64 << 10): fs.ReadStream {
  let stat: fs.Stats;
  try {
    fs.accessSync(file, fs.constants.R_OK);
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`, EXIT_VERB_FAILED);
  }
  if (stat.isDirectory()) throw new CliError(`read ${file}: is a directory`, EXIT_VERB_FAILED);
  return fs.createReadStream(file, { highWaterMark });
}
