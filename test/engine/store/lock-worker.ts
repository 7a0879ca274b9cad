// Child process for store.test.ts: increments a counter under the store lock, slowly enough
// that an unlocked read-modify-write would lose updates.
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../../source/engine/store/json-file.js';
import { withLock } from '../../../source/engine/store/lock.js';
import { StorePaths } from '../../../source/engine/store/paths.js';

const [root, rounds] = process.argv.slice(2);
const paths = new StorePaths(root);
const file = path.join(root, 'counter.json');
for (let i = 0; i < Number(rounds); i++) {
  await withLock(paths, async () => {
    const n = readJsonIfExists<{ n: number }>(file)?.n ?? 0;
    await new Promise((r) => setTimeout(r, 2));
    writeJsonAtomic(file, { n: n + 1 });
  });
}
