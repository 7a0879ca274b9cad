// A file of what the layer explorer shows: its preview (text, or hex for binary data, scrolled)
// and saving it to the host (asking before replacing a file there; the command log says what
// was done). In a comparison the file is read from the image holding that copy.
import fs from 'node:fs/promises';
import path from 'node:path';
import { useState } from 'react';
import type { FileNode, LayerFileContent } from '../../engine/api.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import { printable } from '../model/file-tree-rows.js';
import { previewLines } from '../model/hex-view.js';
import { fileSource } from '../model/layer-sources.js';
import { clampIndex } from '../model/layers-mode.js';
import { saveCommand } from '../model/layer-save.js';
import type { LayerExplorer } from './useLayerExplorer.js';

// A screen shows a few dozen lines: the first 256 KiB (16k hex lines) is plenty to scroll through.
const PREVIEW_BYTES = 256 * 1024;

export interface FilePreview {
  content: LayerFileContent;
  lines: string[];
  scroll: number;
}

export interface LayerFile {
  preview?: FilePreview;
  open(): void;
  close(): void;
  scroll(by: number): void;
  save(): void;
}

/** `node` is the file under the tree's cursor; `width` the preview's, for the hex dump's line length. */
export function useLayerFile(explorer: LayerExplorer, node: FileNode | undefined, width: number): LayerFile {
  const { engine } = useServices();
  const overlay = useOverlay();
  const { notify, act } = useStatus();
  const [preview, setPreview] = useState<FilePreview>();
  const from = node && node.kind !== 'dir' ? fileSource(explorer.source, explorer.target, explorer.layer, node.change) : undefined;

  const open = () => {
    if (!node || !from) return;
    engine.readLayerFile(from.target, from.layer, node.path, PREVIEW_BYTES).then(
      (content) => setPreview({ content, lines: previewLines(content, width), scroll: 0 }),
      (e) => notify(`preview ${printable(node.path)}: ${printable(errorText(e))}`, 'error'),
    );
  };

  const save = () => {
    if (!node || !from) return;
    const { target } = from;
    const layer = preview ? preview.content.layer : from.layer;
    overlay.open({
      kind: 'prompt',
      label: `save ${printable(node.path)}${layer >= 0 ? ` (layer ${layer})` : ''} to: `,
      initial: path.join(process.cwd(), path.posix.basename(node.path)),
      onSubmit: (typed) => {
        const dest = typed.trim();
        if (!dest || !explorer.source) return;
        const topLayer = (explorer.analysis?.layers.length ?? 0) - 1;
        const command = saveCommand({ source: explorer.source, layer, topLayer, path: node.path, dest: path.resolve(dest) });
        const write = (overwrite: boolean) => void act(command, () => engine.saveLayerFile(target, layer, node.path, dest, { overwrite }), (where) => `saved ${printable(node.path)}${layer >= 0 ? ` from layer ${layer}` : ''} to ${where}`);
        // Where it would go (into a directory under the file's name), as the engine decides it.
        void fs.stat(dest).then((st) => (st.isDirectory() ? path.join(dest, path.posix.basename(node.path)) : dest), () => dest).then((where) => fs.lstat(where).then(
          () => overlay.open({ kind: 'confirm', message: `${path.resolve(where)} exists. Overwrite it?`, onConfirm: () => write(true) }),
          () => write(false),
        ));
      },
    });
  };

  return {
    preview,
    open,
    close: () => setPreview(undefined),
    scroll: (by) => setPreview((p) => (p ? { ...p, scroll: clampIndex(p.scroll + by, p.lines.length) } : p)),
    save,
  };
}
