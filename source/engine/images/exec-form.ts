// The exec (JSON) form of an instruction's arguments, read as docker's Dockerfile parser does.
type Fail = (why: string) => Error;

/** The string array `text` is; undefined when it is a shell command (even one starting with "["). */
export function execForm(text: string, fail: Fail): string[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // `RUN [ -f x ] && …` is a shell command that happens to start with a bracket.
    if (!/^\[\s*"/.test(text)) return undefined;
    throw fail(`invalid JSON array ${text}: ${(err as Error).message}`);
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw fail(`the JSON form must be an array of strings, got ${text}`);
  return value as string[];
}
