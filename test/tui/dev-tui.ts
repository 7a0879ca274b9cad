// Opens the TUI on the fake engine with 500 containers: for looking at the screens and for
// the pty test of the shell handover, without root or a real engine.
import { runTui } from '../../source/tui/index.js';
import { FakeEngine, summary } from './fake-engine.js';

const engine = new FakeEngine();
const count = Number(process.env.FAKE_CONTAINERS ?? 500);
for (let i = 0; i < count; i++) engine.containers.push(summary(`web-${String(i).padStart(3, '0')}`, i % 7 === 3 ? 'exited' : i % 11 === 5 ? 'paused' : 'running'));
engine.images = [{ id: 'sha256:' + 'b'.repeat(64), repoTags: ['demo/busybox:latest'], repoDigests: [], created: new Date(Date.now() - 3_600_000).toISOString(), size: 2_400_000, layers: 1 }];
const timer = setInterval(() => engine.log('web-000', [`tick ${new Date().toISOString()}`], Math.random() < 0.2 ? 'stderr' : 'stdout'), 200);
await runTui(engine.asEngine(), { refreshMs: 1000 });
clearInterval(timer);
