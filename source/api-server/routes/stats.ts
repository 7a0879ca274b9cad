import type { Routes } from '../router.js';
export function registerStats(_r: Routes): void {}
