// `search TERM`: Docker Hub's search API for a plain term; for `host[:port]/term`, that
// registry's catalog (GET /v2/_catalog, paged by its Link header) filtered by the term, the way
// a distribution registry without a search API can still be searched.
import type { SearchResult } from '../api.js';
import { EngineError } from '../errors.js';
import type { RegistryClient } from './client.js';
import { registryError } from './client.js';
import { httpRequest, readBody } from './http.js';

const MAX_PAGES = 50; // a catalog of 50 000 repositories is read; beyond, the first ones found

/** `localhost:5000/busy` → the registry and the term; a plain term is Docker Hub's. */
export function splitSearchTerm(term: string): { domain: string; term: string } {
  const slash = term.indexOf('/');
  const first = slash < 0 ? '' : term.slice(0, slash);
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) return { domain: first, term: term.slice(slash + 1) };
  return { domain: 'docker.io', term };
}

export async function searchCatalog(client: RegistryClient, term: string, limit: number): Promise<SearchResult[]> {
  const found: SearchResult[] = [];
  let next: string | undefined = '/v2/_catalog?n=1000';
  for (let page = 0; next && page < MAX_PAGES && found.length < limit; page++) {
    const res = await client.request(next, { scopes: ['registry:catalog:*'] });
    if (res.status === 404) throw new EngineError(`${client.domain} has no catalog (GET /v2/_catalog) to search`, 'invalid');
    if (res.status !== 200) throw await registryError(res, `search of ${client.domain}`);
    const { repositories = [] } = JSON.parse((await readBody(res)).toString('utf8')) as { repositories?: string[] };
    for (const repo of repositories) {
      if (found.length < limit && repo.toLowerCase().includes(term.toLowerCase())) {
        found.push({ name: `${client.domain}/${repo}`, description: '', stars: 0, official: false, automated: false });
      }
    }
    next = /<([^>]+)>;\s*rel="?next"?/.exec(String(res.headers.link ?? ''))?.[1];
  }
  return found;
}

export async function searchDockerHub(term: string, limit: number): Promise<SearchResult[]> {
  const url = new URL('https://index.docker.io/v1/search');
  url.searchParams.set('q', term);
  url.searchParams.set('n', String(limit));
  const res = await httpRequest(url, { headers: { Accept: 'application/json' } });
  if (res.status !== 200) throw await registryError(res, 'search of Docker Hub');
  const body = JSON.parse((await readBody(res)).toString('utf8')) as { results?: Array<{ name: string; description?: string; star_count?: number; is_official?: boolean; is_automated?: boolean }> };
  return (body.results ?? []).slice(0, limit).map((r) => ({
    name: r.name, description: r.description ?? '', stars: r.star_count ?? 0, official: r.is_official === true, automated: r.is_automated === true,
  }));
}
