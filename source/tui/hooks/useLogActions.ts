// The logs pane's file and clipboard keys: save the lines in view to a file, copy one line.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ContainerRef } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { cliCommand, shellQuote } from '../model/cli-command.js';
import { defaultLogFileName, logFileText, logLineText } from '../model/log-export.js';
import type { LogView } from './useLogView.js';
import type { ActionHandlers } from './useKeymap.js';

async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await fs.writeFile(temp, text, { flag: 'wx' });
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

export function useLogActions(containers: readonly ContainerRef[], view: LogView): ActionHandlers {
  const { clipboard } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  if (containers.length === 0) return {};
  const names = containers.map((c) => c.name);
  return {
    save: () => overlay.open({
      kind: 'prompt',
      label: 'save to: ',
      initial: defaultLogFileName(names, new Date()),
      onSubmit: (name) => {
        if (!name.trim()) return;
        const file = path.resolve(name.trim());
        const lines = view.viewLines();
        const command = names.map((n) => `${cliCommand('logs', ...(view.timestamps ? ['-t'] : []), n)}${view.filter ? ` | grep -E${view.filter.caseSensitive ? '' : 'i'} ${shellQuote(view.filter.query)}` : ''}`).join('; ');
        void act(`${names.length > 1 ? `{ ${command}; }` : command} > ${shellQuote(file)}`, () => writeFileAtomically(file, logFileText(lines, view.timestamps)), `saved ${lines.length} lines to ${file}`);
      },
    }),
    copy: () => {
      const line = view.currentLine();
      if (!line) return;
      if (!clipboard) {
        notify('no terminal to copy through', 'error');
        return;
      }
      const text = logLineText(line, view.timestamps);
      clipboard(text);
      notify(`copied: ${text.length > 60 ? text.slice(0, 59) + '…' : text}`, 'ok');
    },
  };
}
