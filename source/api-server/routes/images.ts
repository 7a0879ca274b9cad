import type { Routes } from '../router.js';
export function registerImages(_r: Routes): void {}
