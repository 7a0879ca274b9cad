import type { Routes } from '../router.js';
export function registerArchive(_r: Routes): void {}
