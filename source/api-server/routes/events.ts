import type { Routes } from '../router.js';
export function registerEvents(_r: Routes): void {}
