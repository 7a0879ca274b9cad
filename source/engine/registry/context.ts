// What pull, push and login share: the image stores, the distribution metadata, a way to
// make an authenticated client for a registry, and where progress goes.
import type { ImageStores } from '../images/context.js';
import { RegistryClient, type ClientSettings } from './client.js';
import type { CredentialStore } from './credentials.js';
import type { DistributionMetadata } from './metadata.js';

export type ProgressSink = (id: string, action: string, current: number, total: number, detail: string) => void;

export class RegistryContext {
  constructor(
    readonly stores: ImageStores,
    readonly metadata: DistributionMetadata,
    readonly credentials: CredentialStore,
    readonly settings: ClientSettings,
    readonly progress: ProgressSink,
  ) {}

  client(domain: string, scopes: string[]): RegistryClient {
    return new RegistryClient(domain, this.credentials.get(domain), this.settings, scopes);
  }
}
