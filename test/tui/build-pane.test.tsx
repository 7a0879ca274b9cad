// The build pane: its view folded from a build's events (cache hits, RUN output, the ending).
import './force-color.js';
import { after, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import assert from 'node:assert/strict';
import React from 'react';
import { BuildView } from '../../source/tui/components/BuildView.js';
import { applyBuildEvent, failBuild, newBuildLog, type BuildLog } from '../../source/tui/model/build-log.js';
import { tuiConfig } from '../../source/tui/config.js';
import type { BuildEvent } from '../../source/engine/build/types.js';
import { plain } from './render-helpers.js';

const theme = tuiConfig({}, {}).theme;
const fold = (events: BuildEvent[]) => events.reduce<BuildLog>((log, e) => applyBuildEvent(log, e, 1000), newBuildLog('ctx (app:1)', 0));
const view = (log: BuildLog, height = 20) => plain(render(<BuildView log={log} now={5000} fromEnd={0} width={100} height={height} theme={theme} />).lastFrame());

const ID = 'sha256:5f2e0c1d9a7b3c4e5f60718293a4b5c6d7e8f90112233445566778899aabbccd';
const PARTIAL_BUILD: BuildEvent[] = [
  { type: 'step', step: 1, total: 3, stage: '0', line: 1, text: 'FROM test/busybox:latest' },
  // as the builder sends it: a FROM builds nothing, so its step-done says cached
  { type: 'step-done', step: 1, imageId: 'sha256:aaaa', cached: true, ms: 3, layer: false },
  { type: 'step', step: 2, total: 3, stage: '0', line: 2, text: 'RUN echo hello && echo wor' },
  { type: 'cached', step: 2, imageId: 'sha256:bbbb' },
  { type: 'step-done', step: 2, imageId: 'sha256:bbbb', cached: true, ms: 1, layer: true },
  { type: 'step', step: 3, total: 3, stage: '0', line: 3, text: 'RUN for i in 1 2; do echo line$i; done' },
  { type: 'running', step: 3, containerId: 'c0ffee' },
  { type: 'output', step: 3, stream: 'stdout', text: 'line1\nli' },
  { type: 'output', step: 3, stream: 'stdout', text: 'ne2\n' },
];

describe('build pane view', () => {
  after(() => cleanup());

  it('shows each step, marks cache hits (a FROM is no cache hit), the running step and its output lines', () => {
    const screen = view(fold(PARTIAL_BUILD));
    assert.match(screen, /Building ctx \(app:1\)\s+5\.0s\s+\(2\/3\)/);
    assert.match(screen, /Step 1\/3 : FROM test\/busybox:latest\s+\[done 0\.0s\]/);
    assert.match(screen, /Step 2\/3 : RUN echo hello && echo wor\s+\[CACHED 0\.0s\]/);
    assert.match(screen, /Step 3\/3 : RUN for i in 1 2; do echo line\$i; done\s+\[running 4\.0s\]/);
    assert.match(screen, /│ line1\n\s*│ line2/);
  });

  it('ends with the image id and tags', () => {
    const screen = view(fold([...PARTIAL_BUILD,
      { type: 'step-done', step: 3, imageId: ID, cached: false, ms: 250, layer: true },
      { type: 'done', imageId: ID, tags: ['app:1'], ms: 400 }]));
    assert.match(screen, /Built ctx \(app:1\)\s+0\.4s\s+\(3\/3\)/);
    assert.match(screen, /\[done 0\.3s\]/);
    assert.match(screen, /Successfully built 5f2e0c1d9a7b\nSuccessfully tagged app:1/);
  });

  it('ends with the failing step and its exit code', () => {
    const log = failBuild(fold(PARTIAL_BUILD), { message: "Dockerfile:3: step 3: the command 'sh' returned a non-zero code: 2", step: 3, commandExitCode: 2 }, 3000);
    const screen = view(log);
    assert.match(screen, /Step 3\/3 : .*\[FAILED\]/);
    assert.match(screen, /step 3 failed \(exit code 2\): Dockerfile:3: step 3: the command 'sh' returned a non-zero code: 2/);
    assert.doesNotMatch(screen, /Successfully/);
  });

  it('shows the tail that fits, the ending last', () => {
    const screen = view(fold([...PARTIAL_BUILD, { type: 'done', imageId: ID, tags: [], ms: 9 }]), 3);
    assert.deepEqual(screen.split('\n').map((l) => l.trim()), ['│ line1', '│ line2', 'Successfully built 5f2e0c1d9a7b']);
  });
});
