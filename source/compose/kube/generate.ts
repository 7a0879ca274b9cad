// kube generate: containers as the Pod YAML `podman kube generate` writes — one pod, its
// containers' command/args, env, ports, mounts (named volumes as PersistentVolumeClaims, host
// paths as hostPath), resources and security context, only what differs from the image's
// defaults — so that `kube play` (strata's or podman's) and kubectl run it.
import fs from 'node:fs';
import { stringify } from 'yaml';
import type { ContainerRecord, EngineApi } from '../../engine/api.js';
import { KubeError } from './errors.js';
import { KUBE_LABEL } from './plan.js';
import { formatBytes, formatCpus } from './quantity.js';

type Raw = Record<string, unknown>;

const RESTART: Record<string, string> = { always: 'Always', 'unless-stopped': 'Always', 'on-failure': 'OnFailure', no: 'Never' };
// set by the runtime in every container, not by its creator
const RUNTIME_ENV = new Set(['PATH', 'HOSTNAME', 'HOME', 'TERM', 'container']);

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** The records a generate names: containers by name or id, or every container of a played pod. */
export async function generateTargets(engine: EngineApi, refs: string[]): Promise<{ pod: string; records: ContainerRecord[] }> {
  const all = await engine.listContainers(true);
  const records: ContainerRecord[] = [];
  let pod: string | undefined;
  for (const ref of refs) {
    const members = all.filter((c) => c.labels?.[KUBE_LABEL.pod] === ref);
    if (members.length && !all.some((c) => c.name === ref)) {
      pod ??= ref;
      for (const m of members) records.push(await engine.inspectContainer(m.id));
    } else records.push(await engine.inspectContainer(ref));
  }
  // the network namespace's owner first, as it was played
  records.sort((a, b) => Number(a.hostConfig.network.startsWith('container:')) - Number(b.hostConfig.network.startsWith('container:')));
  const name = pod ?? records[0].config.labels?.[KUBE_LABEL.pod] ?? `${records[0].name}-pod`;
  return { pod: name, records };
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function volumeName(path: string): string {
  return path.replace(/^\/+/, '').replace(/[^a-zA-Z0-9-]+/g, '-').toLowerCase().replace(/^-+|-+$/g, '') || 'root';
}

export async function generatePod(engine: EngineApi, refs: string[]): Promise<string> {
  if (refs.length === 0) throw new KubeError('kube generate needs at least one container or pod');
  const { pod, records } = await generateTargets(engine, refs);
  const volumes = new Map<string, Raw>();
  const containers: Raw[] = [];
  for (const r of records) {
    const image = await engine.inspectImage(r.config.imageId);
    const imageEnv = new Set(image.config.Env ?? []);
    const env = r.config.env.filter((e) => !imageEnv.has(e) && !RUNTIME_ENV.has(e.split('=')[0])).map((e) => {
      const eq = e.indexOf('=');
      return { name: eq < 0 ? e : e.slice(0, eq), value: eq < 0 ? '' : e.slice(eq + 1) };
    });
    const mounts = (r.mounts ?? []).filter((m) => m.type !== 'tmpfs').map((m) => {
      const key = m.type === 'volume' ? `${m.name}-pvc` : `${volumeName(m.source)}-host`;
      volumes.set(key, m.type === 'volume'
        ? { name: key, persistentVolumeClaim: { claimName: m.name } }
        : { name: key, hostPath: { path: m.source, type: isFile(m.source) ? 'File' : 'Directory' } });
      return { mountPath: m.destination, name: key, ...(m.rw ? {} : { readOnly: true }) };
    });
    const limits: Raw = {};
    if (r.hostConfig.limits.memoryBytes) limits.memory = formatBytes(r.hostConfig.limits.memoryBytes);
    if (r.hostConfig.limits.nanoCpus) limits.cpu = formatCpus(r.hostConfig.limits.nanoCpus);
    const caps: Raw = {};
    if (r.hostConfig.capAdd.length) caps.add = r.hostConfig.capAdd;
    if (r.hostConfig.capDrop.length) caps.drop = r.hostConfig.capDrop;
    const user = /^(\d+)(?::(\d+))?$/.exec(r.config.user);
    const ports = (r.ports ?? []).filter((p) => p.hostPort).map((p) => ({
      containerPort: p.containerPort,
      ...(p.hostPort ? { hostPort: p.hostPort } : {}),
      ...(p.hostIp && p.hostIp !== '0.0.0.0' ? { hostIP: p.hostIp } : {}),
      ...(p.protocol !== 'tcp' ? { protocol: p.protocol.toUpperCase() } : {}),
    }));
    containers.push({
      ...(same(r.config.cmd, image.config.Cmd) && same(r.config.entrypoint, image.config.Entrypoint) ? {} : { ...(r.config.cmd.length ? { args: r.config.cmd } : {}) }),
      ...(same(r.config.entrypoint, image.config.Entrypoint) ? {} : { command: r.config.entrypoint }),
      ...(env.length ? { env } : {}),
      image: r.config.image,
      name: r.config.labels?.[KUBE_LABEL.container] ?? r.name,
      ...(ports.length ? { ports } : {}),
      resources: Object.keys(limits).length ? { limits } : {},
      securityContext: {
        capabilities: caps,
        ...(r.hostConfig.privileged ? { privileged: true } : {}),
        ...(r.hostConfig.readOnly ? { readOnlyRootFilesystem: true } : {}),
        ...(user ? { runAsUser: Number(user[1]), ...(user[2] ? { runAsGroup: Number(user[2]) } : {}) } : {}),
      },
      ...(r.config.tty ? { tty: true } : {}),
      ...(r.config.openStdin ? { stdin: true } : {}),
      ...(mounts.length ? { volumeMounts: mounts } : {}),
      ...(r.config.workdir && r.config.workdir !== (image.config.WorkingDir ?? '') ? { workingDir: r.config.workdir } : {}),
    });
  }
  const owner = records[0];
  const doc = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { creationTimestamp: owner.created.replace(/\.\d+Z$/, 'Z'), labels: { app: pod }, name: pod },
    spec: {
      automountServiceAccountToken: false,
      containers,
      enableServiceLinks: false,
      hostname: owner.config.hostname,
      ...(owner.hostConfig.network === 'host' ? { hostNetwork: true } : {}),
      restartPolicy: RESTART[owner.hostConfig.restartPolicy?.name ?? 'no'] ?? 'Never',
      ...(volumes.size ? { volumes: [...volumes.values()] } : {}),
    },
    status: {},
  };
  return `# Save the output of this file and use kubectl create -f to import\n# it into Kubernetes.\n#\n# Created with strata\n${stringify(doc, { lineWidth: 0, indentSeq: false })}`;
}
