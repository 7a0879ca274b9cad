// What the host shows of strata's networking: links, nft tables, addresses. Tests compare
// these before and after to prove nothing was left behind.
import { execFileSync } from 'node:child_process';
import http from 'node:http';

export function links(): string[] {
  return execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter((n): n is string => !!n);
}

export function nftTables(): string[] {
  return execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** A container's host-side veth, while the kernel has not removed it yet (it does so as the namespace dies). */
export async function vethGone(containerId: string, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!links().some((l) => l.startsWith(`sv${containerId.slice(0, 12)}`))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The rules of one of strata's tables, as text ('' when there is no such table). */
export function nftTable(name: string): string {
  try {
    return execFileSync('nft', ['list', 'table', 'ip', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

export function hostAddresses(): string[] {
  return execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' }).split('\n').map((l) => /inet (\S+)/.exec(l)?.[1]).filter((a): a is string => !!a);
}

/** The first IPv4 address of the host that is neither loopback nor on a strata bridge. */
export function outerAddress(): string | undefined {
  const rows = execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' }).split('\n');
  for (const r of rows) {
    const m = /^\d+: (\S+)\s+inet (\d+\.\d+\.\d+\.\d+)/.exec(r);
    if (m && m[1] !== 'lo' && !m[1].startsWith('strata')) return m[2];
  }
  return undefined;
}

/** GET http://host:port/path, retried until `timeoutMs` (the server may still be starting). */
export async function httpGet(host: string, port: number, path = '/', timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const req = http.get({ host, port, path, timeout: 1000 }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(body));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
      });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
