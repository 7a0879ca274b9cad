// A build another strata process runs, as the events journal tells it ("builder" messages:
// start, each step's start and end, the end): folded into the same BuildLog the pane draws.
import type { EventMessage } from '../../engine/api.js';
import { applyBuildEvent, failBuild, newBuildLog, type BuildLog } from './build-log.js';

/** The log after one journal message; messages of this process's own builds and of other builds than the latest are ignored. */
export function foldBuilderMessage(log: BuildLog | undefined, m: EventMessage, ownPid: number): BuildLog | undefined {
  const a = m.Actor.Attributes;
  if (m.Type !== 'builder' || a.pid === String(ownPid)) return log;
  const at = m.timeNano / 1e6;
  if (m.Action === 'start') {
    const tags = a.tags ? a.tags.split(',') : [];
    return { ...newBuildLog(tags.length ? `${a.context} (${tags.join(', ')})` : a.context ?? '', at), buildId: m.Actor.ID, origin: `pid ${a.pid}` }; // the header's "by pid 123"
  }
  if (!log || log.buildId !== m.Actor.ID) return log;
  const step = Number(a.step);
  switch (m.Action) {
    case 'step':
      return applyBuildEvent(log, { type: 'step', step, total: Number(a.total), stage: '', line: 0, text: a.text ?? '' }, at);
    case 'step-done': {
      const cached = a.cached === 'true';
      const hit = cached ? applyBuildEvent(log, { type: 'cached', step, imageId: '' }, at) : log;
      return applyBuildEvent(hit, { type: 'step-done', step, imageId: '', cached, ms: Number(a.ms), layer: true }, at);
    }
    case 'end':
      if (a.imageId) return { ...applyBuildEvent(log, { type: 'done', imageId: a.imageId, tags: a.tags ? a.tags.split(',') : [], ms: Number(a.ms) }, at), endedAt: at };
      return failBuild(log, { message: a.error ?? 'build failed' }, at);
    default:
      return log;
  }
}
