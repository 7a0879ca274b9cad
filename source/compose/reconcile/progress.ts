// What the reconcile reports as it goes, one typed event per resource step, which the CLI
// prints as docker compose does (` ✔ Container app-web-1  Started`).
export type ResourceKind = 'Network' | 'Volume' | 'Image' | 'Container';

export type ProgressAction =
  | 'Creating' | 'Created' | 'Starting' | 'Started' | 'Running' | 'Recreate' | 'Recreated'
  | 'Stopping' | 'Stopped' | 'Removing' | 'Removed' | 'Pulling' | 'Pulled' | 'Building' | 'Built'
  | 'Waiting' | 'Healthy' | 'Exited' | 'Killed' | 'Paused' | 'Unpaused' | 'Restarted';

export interface ProgressEvent {
  kind: ResourceKind;
  name: string;
  action: ProgressAction;
  done: boolean; // the step finished (✔) or begins
}

export type OnProgress = (event: ProgressEvent) => void;
