// The inspect overlay searched as less is (ink-testing-library, real key parsing), and the
// help overlay listing the keys of the new panes and actions.
import './force-color.js';
import { after, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import assert from 'node:assert/strict';
import React from 'react';
import { HelpOverlay } from '../../source/tui/components/HelpOverlay.js';
import { KeypressProvider } from '../../source/tui/contexts/keypress.js';
import { DEFAULT_KEYMAP, helpSections } from '../../source/tui/keymap.js';
import { inspectLines, JsonOverlay } from '../../source/tui/overlays/JsonOverlay.js';
import { wrapLines } from '../../source/tui/model/line-search.js';
import { KEYS, plain, tick } from './render-helpers.js';

after(() => cleanup());

const INSPECTED = [{ Id: 'abc', Config: { Hostname: 'abc', Cmd: ['sh'], Env: ['PATH=/usr/bin'] }, HostsPath: '/x/hosts', LogPath: '/x/log' }];

function renderOverlay(height = 12) {
  let closed = false;
  const app = render(
    <KeypressProvider active>
      <JsonOverlay title="strata inspect abc" value={INSPECTED} width={100} height={height} close={() => { closed = true; }} />
    </KeypressProvider>,
  );
  return {
    ...app,
    closed: () => closed,
    screen: () => plain(app.lastFrame()),
    async type(...keys: string[]) {
      for (const key of keys) {
        app.stdin.write(key);
        await tick();
      }
    },
    /** Waits until the screen matches (a lone Esc waits for the parser's timeout; frames come after keys). */
    async waitFor(pattern: RegExp, timeoutMs = 3000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(plain(app.lastFrame()))) {
        if (Date.now() > deadline) assert.match(plain(app.lastFrame()), pattern);
        await tick(20);
      }
      return plain(app.lastFrame());
    },
  };
}

test('the inspect overlay shows the array strata inspect prints, indented by 4', () => {
  assert.deepEqual(inspectLines(INSPECTED).slice(0, 3), ['[', '    {', '        "Id": "abc",']);
  const app = renderOverlay(30);
  assert.match(app.screen(), /│ \[\s+│\n│ {5}\{/);
});

test('/ searches as typed (smart case), highlights every match, n and N go to the next and previous matching line, Esc clears then closes', async () => {
  const app = renderOverlay();
  await app.type('/', 'p', 'a', 't', 'h');
  await app.waitFor(/\/path\s+1\/3 matching lines/);
  // The match drawn in inverse video, wherever it is on the line.
  assert.ok((app.lastFrame() ?? '').includes('\x1b[7mPATH\x1b[27m'), app.lastFrame());
  assert.ok((app.lastFrame() ?? '').includes('Hosts\x1b[7mPath\x1b[27m'));
  await app.type(KEYS.enter, 'n');
  await app.waitFor(/2\/3 matching lines/);
  await app.type('n', 'n');
  await app.waitFor(/1\/3 matching lines/);
  await app.type('N');
  await app.waitFor(/3\/3 matching lines/);
  await app.type('/', 'P', 'a', 't', 'h');
  await app.waitFor(/1\/2 matching lines/);
  await app.type('/', 'n', 'o', 'n', 'e', KEYS.enter);
  await app.waitFor(/\/none\s+no match/);
  await app.type(KEYS.esc);
  await app.waitFor(/^(?![\s\S]*no match)/);
  assert.equal(app.closed(), false, 'the first Esc clears the search');
  await app.type(KEYS.esc);
  await tick(100);
  assert.equal(app.closed(), true);
});

test('Esc while typing a query puts back the search there was', async () => {
  const app = renderOverlay();
  await app.type('/', 'L', 'o', 'g', KEYS.enter);
  await app.waitFor(/\/Log\s+1\/1 matching line/);
  await app.type('/', 'x', 'y', KEYS.esc);
  await app.waitFor(/\/Log\s+1\/1 matching line/);
});

test('long lines wrap, so a long path reads whole', () => {
  const long = `/var/lib/strata/containers/${'a'.repeat(64)}/hosts`;
  const app = render(
    <KeypressProvider active>
      <JsonOverlay title="t" lines={[long, 'short']} width={44} height={12} close={() => undefined} />
    </KeypressProvider>,
  );
  const rows = plain(app.lastFrame()).split('\n').map((r) => r.replace(/^│ | *│$/g, ''));
  const shown = rows.slice(2, 5).join('');
  assert.ok(shown.startsWith(long), shown);
  assert.ok(rows.includes('short'), rows.join('\n'));
  assert.deepEqual(wrapLines(['abcdef', 'xy'], 4), ['abcd', 'ef', 'xy']);
});

test('the help overlay lists every key of the volumes, networks, containers, stats and images panes', () => {
  for (const pane of ['volumes', 'networks', 'containers', 'stats', 'images'] as const) {
    const sections = helpSections(DEFAULT_KEYMAP, pane);
    let text = '';
    for (let page = 0; page < 6; page++) text += plain(render(<HelpOverlay sections={sections} width={80} height={20} page={page} />).lastFrame());
    for (const binding of sections.flatMap((s) => s.bindings)) assert.ok(text.includes(binding.help), `${pane}: ${binding.help}`);
  }
});
