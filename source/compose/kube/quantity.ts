// Kubernetes resource quantities: memory ("128Mi", "1G", "512k") in bytes, CPU ("500m", "1.5") in nano CPUs.
import { KubeError } from './errors.js';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

export function memoryBytes(value: unknown, where: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGTPE]i|[kMGTPEm]?)$/.exec(String(value));
  if (!m) throw new KubeError(`${where}: invalid quantity "${String(value)}"`);
  return Math.round(Number(m[1]) * (BINARY[m[2]] ?? DECIMAL[m[2]]));
}

export function nanoCpus(value: unknown, where: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(value));
  if (!m) throw new KubeError(`${where}: invalid CPU quantity "${String(value)}"`);
  return Math.round(Number(m[1]) * (m[2] ? 1e6 : 1e9));
}

/** Bytes as Kubernetes writes them: the largest binary unit that divides them. */
export function formatBytes(bytes: number): string {
  for (const unit of ['Gi', 'Mi', 'Ki'] as const) if (bytes % BINARY[unit] === 0) return `${bytes / BINARY[unit]}${unit}`;
  return String(bytes);
}

export function formatCpus(nano: number): string {
  return nano % 1e9 === 0 ? String(nano / 1e9) : `${Math.round(nano / 1e6)}m`;
}
