// Runs a program on a pseudo-terminal wired straight to ours: keys go to it raw, its output
// comes to the screen, and our size follows it. Resolves with its exit code.
import * as pty from 'node-pty';

export function runInPty(file: string, args: string[], stdin: NodeJS.ReadStream = process.stdin, stdout: NodeJS.WriteStream = process.stdout): Promise<number> {
  return new Promise((resolve, reject) => {
    let child: pty.IPty;
    try {
      child = pty.spawn(file, args, {
        name: process.env.TERM || 'xterm-256color',
        cols: stdout.columns || 80,
        rows: stdout.rows || 24,
        env: process.env as Record<string, string>,
      });
    } catch (error) {
      reject(error);
      return;
    }
    const onInput = (data: Buffer | string) => child.write(typeof data === 'string' ? data : data.toString('utf8'));
    const onResize = () => child.resize(stdout.columns || 80, stdout.rows || 24);
    const output = child.onData((data) => stdout.write(data));
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', onInput);
    stdin.resume();
    stdout.on('resize', onResize);
    child.onExit(({ exitCode }) => {
      output.dispose();
      stdin.off('data', onInput);
      stdin.pause();
      stdout.off('resize', onResize);
      resolve(exitCode);
    });
  });
}
