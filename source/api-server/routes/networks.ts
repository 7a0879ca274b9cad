import type { Routes } from '../router.js';
export function registerNetworks(_r: Routes): void {}
