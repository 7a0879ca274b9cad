// A Kubernetes YAML that strata cannot run, said in one line naming the object and the key.
export class KubeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeError';
  }
}
