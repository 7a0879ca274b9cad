// Waiting out a stream's backpressure. tar-stream's streams are streamx streams: a destroyed one
// never emits 'drain', so the wait also ends on 'close'. Whichever comes first, both listeners go:
// a listener left on a long-lived stream after every wait leaks one per wait (and Node's
// MaxListenersExceededWarning on stderr after ten).
export function drainOrClose(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
