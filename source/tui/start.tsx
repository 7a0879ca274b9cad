// Mounts the app on the terminal: alternate screen in, Ink on a mutable output, terminal
// restored on the way out, and the whole terminal lent to a shell on request.
import v8 from 'node:v8';
import React, { useEffect, useState } from 'react';
import { render, type Instance } from 'ink';
import type { EngineApi } from '../engine/api.js';
import { tuiConfig, type TuiOverrides } from './config.js';
import type { TerminalHandover } from './contexts/services.js';
import { Root } from './Root.js';
import { InkOutput } from './terminal/ink-output.js';
import { HIDE_CURSOR, osc52 } from './terminal/escapes.js';
import { Screen } from './terminal/screen.js';

// Ink draws at most this often. A fast log asks for at most config.logFps frames a second;
// the headroom above it is for keys, whose frame must not wait behind the log's.
const INK_MAX_FPS = 60;
// Long enough for Ink's throttled frame to be written before the screen is lent out.
const FRAME_SETTLE_MS = 80;

interface SuspendSwitch {
  set?: (suspended: boolean) => void;
}

function Suspendable({ control, children }: { control: SuspendSwitch; children: (suspended: boolean) => React.ReactNode }) {
  const [suspended, setSuspended] = useState(false);
  useEffect(() => {
    control.set = setSuspended;
    return () => {
      control.set = undefined;
    };
  }, [control]);
  return <>{children(suspended)}</>;
}

export async function startTui(engine: EngineApi, overrides: TuiOverrides = {}): Promise<void> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) throw new Error('the TUI needs a terminal: run a command (strata ps, strata --help) instead');
  const config = tuiConfig(overrides);
  const screen = new Screen(stdin, stdout);
  const output = new InkOutput(stdout);
  const suspend: SuspendSwitch = {};
  let instance: Instance | undefined;
  let fatal: unknown;

  // A resize reflows whatever is on screen: clear it and let Ink draw everything again.
  const onResize = () => {
    screen.clear();
    instance?.clear();
  };
  stdout.prependListener('resize', onResize);

  const terminal: TerminalHandover = {
    async handOver(run) {
      suspend.set?.(true);
      await new Promise((resolve) => setTimeout(resolve, FRAME_SETTLE_MS));
      output.mute();
      screen.leave();
      try {
        return await run();
      } finally {
        screen.enter();
        instance?.clear();
        output.unmute();
        suspend.set?.(false);
        output.write(HIDE_CURSOR);
      }
    },
    suspend() {
      return terminal.handOver(async () => screen.suspendProcess());
    },
  };

  screen.enter();
  screen.guard((error) => {
    fatal = error;
    instance?.unmount();
    // The screen is restored; say what went wrong where the user can read it.
    process.stderr.write(`strata: the TUI crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
  try {
    instance = render(
      <Suspendable control={suspend}>
        {(suspended) => (
          // While a shell owns the terminal the app keeps its state but draws nothing.
          <Root services={{ engine, config, terminal, clipboard: (text) => output.write(osc52(text)) }} suspended={suspended} key="root" />
        )}
      </Suspendable>,
      { stdout: output.asWriteStream(), stdin, exitOnCtrlC: false, maxFps: INK_MAX_FPS },
    );
    // A fast log's lines outlive young-generation scavenges (they sit in the ring buffer), so
    // their garbage lands in the old generation, and V8 lets that grow up to 4× the live heap
    // before it collects: RSS swung 115–156 MiB under a 20k lines/s log. Collecting at +20 %
    // keeps it flat at ~120 MiB for about a point of CPU. Set once the first frame is drawn,
    // so start-up is not slowed; V8 reads this flag whenever it sets the next limit.
    v8.setFlagsFromString('--heap-growing-percent=20');
    await instance.waitUntilExit();
  } finally {
    instance?.cleanup();
    stdout.off('resize', onResize);
    output.dispose();
    screen.leave();
    screen.release();
    stdin.pause();
  }
  if (fatal) throw fatal;
}
