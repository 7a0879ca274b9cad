// Runs jobs a few at a time (docker pulls and pushes 3 blobs at once by default). After the
// first failure no new job starts, the running ones are told through the signal, and the
// failure is thrown only once every started job has settled, so nothing runs on behind it.
export async function runLimited<T, R>(items: readonly T[], limit: number, job: (item: T, index: number, signal: AbortSignal) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const abort = new AbortController();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await job(items[index], index, abort.signal);
      } catch (error) {
        if (!failure) failure = { error };
        abort.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
