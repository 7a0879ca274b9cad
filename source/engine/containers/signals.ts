// Signal names and numbers as docker accepts them: KILL, SIGKILL, 9.
import os from 'node:os';
import { EngineError } from '../errors.js';

export function signalNumber(signal: string | number): number {
  if (typeof signal === 'number') return signal;
  const s = signal.trim().toUpperCase();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n >= 1 && n <= 64) return n;
  } else {
    const name = (s.startsWith('SIG') ? s : `SIG${s}`) as keyof typeof os.constants.signals;
    const n = os.constants.signals[name];
    if (n !== undefined) return n;
  }
  throw new EngineError(`invalid signal: ${signal}`, 'invalid');
}
