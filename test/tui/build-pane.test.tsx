// The build pane: its view folded from a build's events (cache hits, RUN output, the ending).
import './force-color.js';
import { after, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import assert from 'node:assert/strict';
import React from 'react';
import { BuildView } from '../../source/tui/components/BuildView.js';
import { applyBuildEvent, failBuild, newBuildLog, type BuildLog } from '../../source/tui/model/build-log.js';
import { buildRequest } from '../../source/tui/model/build-request.js';
import { foldBuilderMessage } from '../../source/tui/model/build-journal.js';
import { eventMessage } from '../../source/engine/events/message.js';
import { eventMatches, parseEventFilters } from '../../source/cli/event-filters.js';
import type { EngineEvent } from '../../source/engine/api.js';
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

  it('shows the tail that fits under the header, the ending last', () => {
    const screen = view(fold([...PARTIAL_BUILD, { type: 'done', imageId: ID, tags: [], ms: 9 }]), 3);
    assert.deepEqual(screen.split('\n').map((l) => l.trim()), ['Built ctx (app:1)  0.0s  (2/3)', '│ line2', 'Successfully built 5f2e0c1d9a7b']);
  });

  it('keeps the header while the steps scroll', () => {
    const log = fold(PARTIAL_BUILD);
    const scrolled = plain(render(<BuildView log={log} now={5000} fromEnd={2} width={100} height={3} theme={theme} />).lastFrame());
    const lines = scrolled.split('\n').map((l) => l.trim());
    assert.match(lines[0], /^Building ctx \(app:1\)/);
    assert.match(lines[1], /^Step 2\/3/);
    assert.match(lines[2], /^Step 3\/3/);
  });

  it('heads a failed build as failed, counting only the steps that finished', () => {
    const log = failBuild(fold(PARTIAL_BUILD), { message: 'boom', step: 3, commandExitCode: 2 }, 3000);
    const header = view(log).split('\n')[0];
    assert.match(header, /^Build failed: ctx \(app:1\)\s+3\.0s\s+\(2\/3\)/);
    assert.doesNotMatch(header, /Built/);
  });

  it('draws carriage-return progress as a terminal does: each update over the last, inside the gutter', () => {
    const apt = [
      ...PARTIAL_BUILD.slice(0, 7),
      { type: 'output', step: 3, stream: 'stdout', text: 'Reading package lists... 0%\r' },
      { type: 'output', step: 3, stream: 'stdout', text: 'Reading package lists... 50%\rReading package lists... 100%\r' },
      { type: 'output', step: 3, stream: 'stdout', text: 'Reading package lists... Done\r\n\x1b[33mcolour\x1b[0m\tend\n' },
      { type: 'output', step: 3, stream: 'stdout', text: 'Progress: [ 10%]\rProgress: [ 2' },
    ] as BuildEvent[];
    const log = fold(apt);
    assert.deepEqual(log.steps[2].output, ['Reading package lists... Done', 'colour  end']);
    const lines = view(log).split('\n').map((l) => l.trimEnd());
    assert.ok(lines.includes('  │ Reading package lists... Done'), lines.join('\n'));
    assert.ok(lines.includes('  │ colour  end'), lines.join('\n'));
    assert.ok(lines.includes('  │ Progress: [ 20%]'), lines.join('\n'));
    assert.ok(lines.every((l) => !l.includes('\r')));
    assert.ok(log.steps[2].partial.length < 40, 'the unfinished line is kept short');
  });
});

describe('build form values', () => {
  it('finds a relative Dockerfile in the context, reads build args, target and no-cache, and writes the same command', () => {
    const request = buildRequest({ context: 'app', dockerfile: 'docker/Dev.Dockerfile', tag: 'web:1', buildArgs: 'A=1 "B=two words"', target: 'base', noCache: 'y' }, '/work');
    assert.deepEqual(request.options, { context: '/work/app', dockerfile: '/work/app/docker/Dev.Dockerfile', tags: ['web:1'], buildArgs: { A: '1', B: 'two words' }, target: 'base', noCache: true });
    assert.equal(request.command, `strata build -t web:1 -f /work/app/docker/Dev.Dockerfile --build-arg A=1 --build-arg 'B=two words' --target base --no-cache /work/app`);
    assert.equal(request.title, '/work/app (web:1)');
    assert.deepEqual(buildRequest({ context: '/ctx', dockerfile: '/elsewhere/Dockerfile' }, '/work').options, { context: '/ctx', dockerfile: '/elsewhere/Dockerfile' });
    assert.deepEqual(buildRequest({}, '/work').options, { context: '/work' });
    assert.throws(() => buildRequest({ buildArgs: 'NOVALUE' }, '/w'), /build arg "NOVALUE": expected KEY=VALUE/);
    assert.throws(() => buildRequest({ noCache: 'maybe' }, '/w'), /no cache "maybe": expected y or n/);
  });
});

describe('a build another process runs, from the events journal', () => {
  const journaled = (events: EngineEvent[], pid = 4242) => events.map((e) => eventMessage({ ...e, pid } as EngineEvent, 1_000_000_000_000 * 1e6)!);
  const BUILD: EngineEvent[] = [
    { type: 'build', action: 'start', id: 'b1', pid: 0, context: '/src/app', tags: ['app:2'] },
    { type: 'build', action: 'step', id: 'b1', pid: 0, step: 1, total: 2, text: 'FROM test/busybox:latest' },
    { type: 'build', action: 'step-done', id: 'b1', pid: 0, step: 1, cached: false, ms: 5 },
    { type: 'build', action: 'step', id: 'b1', pid: 0, step: 2, total: 2, text: 'RUN make' },
  ];

  it('shows its steps as they are journaled, then how it ended', () => {
    const running = journaled(BUILD).reduce<BuildLog | undefined>((log, m) => foldBuilderMessage(log, m, process.pid), undefined)!;
    const screen = plain(render(<BuildView log={running} now={1_000_000_000_000 + 3000} fromEnd={0} width={100} height={10} theme={theme} />).lastFrame());
    assert.match(screen, /Building \/src\/app \(app:2\)\s+3\.0s\s+\(1\/2\)\s+by pid 4242/);
    assert.match(screen, /Step 2\/2 : RUN make\s+\[running/);
    const failed = journaled([{ type: 'build', action: 'end', id: 'b1', pid: 0, ms: 900, error: 'step 2: exit code 2' }]).reduce<BuildLog | undefined>((log, m) => foldBuilderMessage(log, m, process.pid), running)!;
    assert.match(view(failed), /^Build failed: \/src\/app \(app:2\)/);
    assert.match(view(failed), /Step 2\/2 : RUN make\s+\[FAILED\]\nstep 2 failed: step 2: exit code 2/);
    const built = journaled([{ type: 'build', action: 'end', id: 'b1', pid: 0, ms: 900, imageId: ID, tags: ['app:2'] }]).reduce<BuildLog | undefined>((log, m) => foldBuilderMessage(log, m, process.pid), running)!;
    assert.match(view(built), /Successfully tagged app:2/);
  });

  it('leaves out this process\'s own builds and `strata events` shows none unless asked', () => {
    const own = journaled(BUILD, process.pid).reduce<BuildLog | undefined>((log, m) => foldBuilderMessage(log, m, process.pid), undefined);
    assert.equal(own, undefined);
    const [start] = journaled(BUILD);
    assert.equal(start.Type, 'builder');
    assert.equal(eventMatches(parseEventFilters([]), start), false);
    assert.equal(eventMatches(parseEventFilters(['type=builder']), start), true);
  });
});
