// The facade the Engine uses: pull, push, login, logout against registries, with the image
// stores it shares and the settings (credential files, insecure registries) it was given.
import type { PullOptions, PullResult, PushOptions, PushResult, SearchResult } from '../api.js';
import { EngineError } from '../errors.js';
import type { ImageStores } from '../images/context.js';
import { parseReference } from '../images/reference.js';
import type { ProgressSink } from './context.js';
import { RegistryContext } from './context.js';
import { CredentialStore, type Credentials } from './credentials.js';
import { DistributionMetadata } from './metadata.js';
import { pullImage } from './pull.js';
import { pushImage } from './push.js';
import { defaultRegistrySettings, type RegistrySettings } from './settings.js';
import { RegistryClient } from './client.js';
import { searchCatalog, searchDockerHub, splitSearchTerm } from './search.js';

export class RegistryService {
  readonly settings: RegistrySettings;
  readonly credentials: CredentialStore;
  private readonly metadata: DistributionMetadata;

  constructor(private readonly stores: ImageStores, settings: Partial<RegistrySettings> = {}) {
    this.settings = { ...defaultRegistrySettings(), ...settings };
    this.credentials = new CredentialStore(this.settings.authFile, this.settings.dockerConfigFile);
    this.metadata = new DistributionMetadata(stores.paths);
  }

  private context(progress: ProgressSink): RegistryContext {
    return new RegistryContext(this.stores, this.metadata, this.credentials, this.settings, progress);
  }

  pull(ref: string, opts: PullOptions, progress: ProgressSink): Promise<PullResult> {
    return pullImage(this.context(progress), ref, opts);
  }

  push(ref: string, opts: PushOptions, progress: ProgressSink): Promise<PushResult> {
    return pushImage(this.context(progress), ref, opts);
  }

  /** Checks the credentials against the registry, then saves them in strata's file. */
  async login(server: string, creds: Credentials): Promise<void> {
    if (!creds.username) throw new EngineError('login requires a username', 'invalid');
    if (!creds.password) throw new EngineError('login requires a password', 'invalid');
    const domain = registryDomain(server);
    await new RegistryClient(domain, creds, this.settings).verifyLogin();
    this.credentials.save(domain, creds);
  }

  /** `search`: Docker Hub's search, or a registry's catalog when the term names the registry. */
  search(term: string, limit: number): Promise<SearchResult[]> {
    const where = splitSearchTerm(term);
    if (where.domain === 'docker.io') return searchDockerHub(where.term, limit);
    const domain = registryDomain(where.domain);
    return searchCatalog(new RegistryClient(domain, this.credentials.get(domain), this.settings), where.term, limit);
  }

  /** 'removed', or 'not-logged-in' when strata has nothing for the registry. */
  logout(server: string): 'removed' | 'not-logged-in' {
    return this.credentials.remove(registryDomain(server)) ? 'removed' : 'not-logged-in';
  }
}

/** The registry a login names: a host[:port], an URL, or nothing (Docker Hub). */
export function registryDomain(server: string | undefined): string {
  if (!server) return 'docker.io';
  const host = server.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return parseReference(`${host}/x`).domain;
}
