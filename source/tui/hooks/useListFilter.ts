// A list pane's filter: the text, and the keys that type it in a prompt (live, Esc restores the
// one before) and clear it.
import { useState } from 'react';
import { useOverlay } from '../contexts/overlay.js';
import type { ActionHandlers } from './useKeymap.js';

export function useListFilter(): { filter: string; setFilter: (text: string) => void; handlers: ActionHandlers } {
  const overlay = useOverlay();
  const [filter, setFilter] = useState('');
  return {
    filter,
    setFilter,
    handlers: {
      filter: () => overlay.open({ kind: 'prompt', label: 'filter: ', initial: filter, onChange: setFilter, onSubmit: setFilter, onCancel: () => setFilter(filter) }),
      'clear-filter': filter ? () => setFilter('') : undefined,
    },
  };
}
