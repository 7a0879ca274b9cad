import type { Routes } from '../router.js';
export function registerVolumes(_r: Routes): void {}
