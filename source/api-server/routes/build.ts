import type { Routes } from '../router.js';
export function registerBuild(_r: Routes): void {}
