// Binds a keymap section's actions to handlers: the key → action table lives in keymap.ts,
// the pane supplies only what each action does.
import { useServices } from '../contexts/services.js';
import { LAYER, useKeypress } from '../contexts/keypress.js';
import { bindingFor, type KeymapSection } from '../keymap.js';

export type ActionHandlers = Partial<Record<string, () => void>>;

const COMPOSES = Symbol('composes');

/** Marks an action that may run again before a redraw (see KeyOutcome): it reads no rendered state. */
export function composing(action: () => void): () => void {
  return Object.assign(() => action(), { [COMPOSES]: true });
}

export function useKeymap(sections: KeymapSection[], handlers: ActionHandlers, options: { active: boolean; layer?: number }): void {
  const { config } = useServices();
  useKeypress((press) => {
    for (const section of sections) {
      const binding = bindingFor(config.keymap[section], press.name);
      const handler = binding && handlers[binding.action];
      if (handler) {
        handler();
        return COMPOSES in handler ? 'composes' : true;
      }
    }
    return false;
  }, { layer: options.layer ?? LAYER.pane, active: options.active });
}
