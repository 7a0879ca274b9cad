// Which sysctls live in a container's own namespaces (docker's list): the IPC ones, and the
// net.* ones unless the network is the host's.
const IPC_SYSCTLS = ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'];

export function sysctlNamespace(key: string): 'net' | 'ipc' | undefined {
  if (key.startsWith('net.')) return 'net';
  if (IPC_SYSCTLS.includes(key) || key.startsWith('fs.mqueue.')) return 'ipc';
  return undefined;
}
