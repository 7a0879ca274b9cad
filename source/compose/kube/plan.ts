// The objects of a Kubernetes YAML file as what strata runs: each Pod (a Deployment's replicas
// as Pods of their own) as containers — the first owning the pod's network namespace and its
// published ports, the others joining it (--network container:), as the containers of one pod
// share a network in Kubernetes — with ConfigMaps and Secrets resolved into environments.
import { parseAllDocuments } from 'yaml';
import type { ContainerLimits, CreateOptions, MountRequest, PortMapping, RestartPolicy } from '../../engine/api.js';
import { KubeError } from './errors.js';
import { memoryBytes, nanoCpus } from './quantity.js';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const array = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter(isObject) : []);

export const KUBE_LABEL = { pod: 'io.strata.kube.pod', container: 'io.strata.kube.container' } as const;

export interface PodVolume {
  name: string; // the engine's volume name
  emptyDir: boolean; // made for the pod, removed with it
}

export interface PodPlan {
  name: string;
  containers: CreateOptions[]; // in start order; [0] owns the network namespace
  volumes: PodVolume[];
  hostDirs: string[]; // hostPath DirectoryOrCreate: made if missing
}

const RESTART: Record<string, RestartPolicy['name']> = { Always: 'always', OnFailure: 'on-failure', Never: 'no' };

function keyValues(docs: Raw[], kind: 'ConfigMap' | 'Secret'): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const d of docs.filter((x) => x.kind === kind)) {
    const name = String((d.metadata as Raw | undefined)?.name ?? '');
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(isObject(d.data) ? d.data : {})) data[k] = kind === 'Secret' ? Buffer.from(String(v), 'base64').toString('utf8') : String(v);
    if (kind === 'Secret') for (const [k, v] of Object.entries(isObject(d.stringData) ? d.stringData : {})) data[k] = String(v);
    out.set(name, data);
  }
  return out;
}

interface Lookups {
  configMaps: Map<string, Record<string, string>>;
  secrets: Map<string, Record<string, string>>;
}

function environment(c: Raw, where: string, l: Lookups): string[] {
  const out: string[] = [];
  const from = (kind: 'configMap' | 'secret', name: string, optional: boolean): Record<string, string> | undefined => {
    const found = (kind === 'configMap' ? l.configMaps : l.secrets).get(name);
    if (!found && !optional) throw new KubeError(`${where}: ${kind} ${name} is not in the file`);
    return found;
  };
  for (const e of array(c.envFrom)) {
    const ref = isObject(e.configMapRef) ? ['configMap', e.configMapRef] as const : isObject(e.secretRef) ? ['secret', e.secretRef] as const : undefined;
    if (!ref) continue;
    for (const [k, v] of Object.entries(from(ref[0], String(ref[1].name), ref[1].optional === true) ?? {})) out.push(`${String(e.prefix ?? '')}${k}=${v}`);
  }
  for (const e of array(c.env)) {
    const name = String(e.name);
    if (e.value !== undefined) {
      out.push(`${name}=${String(e.value)}`);
      continue;
    }
    const vf = isObject(e.valueFrom) ? e.valueFrom : {};
    const ref = isObject(vf.configMapKeyRef) ? ['configMap', vf.configMapKeyRef] as const : isObject(vf.secretKeyRef) ? ['secret', vf.secretKeyRef] as const : undefined;
    if (!ref) {
      if (Object.keys(vf).length) throw new KubeError(`${where}: env ${name}: only value, configMapKeyRef and secretKeyRef are supported`);
      out.push(`${name}=`);
      continue;
    }
    const data = from(ref[0], String(ref[1].name), ref[1].optional === true);
    const value = data?.[String(ref[1].key)];
    if (value === undefined && ref[1].optional !== true) throw new KubeError(`${where}: env ${name}: key ${String(ref[1].key)} is not in ${ref[0]} ${String(ref[1].name)}`);
    if (value !== undefined) out.push(`${name}=${value}`);
  }
  return out;
}

function limits(c: Raw, where: string): ContainerLimits {
  const lim = isObject(c.resources) && isObject(c.resources.limits) ? c.resources.limits : {};
  return {
    ...(lim.memory !== undefined ? { memoryBytes: memoryBytes(lim.memory, `${where}.resources.limits.memory`) } : {}),
    ...(lim.cpu !== undefined ? { nanoCpus: nanoCpus(lim.cpu, `${where}.resources.limits.cpu`) } : {}),
  };
}

function security(c: Raw, pod: Raw): Pick<CreateOptions, 'user' | 'privileged' | 'capAdd' | 'capDrop' | 'readOnly'> {
  const podSc = isObject(pod.securityContext) ? pod.securityContext : {};
  const sc = isObject(c.securityContext) ? c.securityContext : {};
  const uid = sc.runAsUser ?? podSc.runAsUser;
  const gid = sc.runAsGroup ?? podSc.runAsGroup;
  const caps = isObject(sc.capabilities) ? sc.capabilities : {};
  return {
    ...(uid !== undefined ? { user: gid !== undefined ? `${String(uid)}:${String(gid)}` : String(uid) } : {}),
    privileged: sc.privileged === true,
    capAdd: Array.isArray(caps.add) ? caps.add.map(String) : [],
    capDrop: Array.isArray(caps.drop) ? caps.drop.map(String) : [],
    readOnly: sc.readOnlyRootFilesystem === true,
  };
}

function ports(c: Raw, where: string): { published: PortMapping[]; exposed: string[] } {
  const published: PortMapping[] = [];
  const exposed: string[] = [];
  for (const p of array(c.ports)) {
    const containerPort = Number(p.containerPort);
    if (!Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) throw new KubeError(`${where}.ports: invalid containerPort ${String(p.containerPort)}`);
    const protocol = String(p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp';
    exposed.push(`${containerPort}/${protocol}`);
    if (p.hostPort !== undefined) published.push({ containerPort, protocol, hostPort: Number(p.hostPort), ...(p.hostIP ? { hostIp: String(p.hostIP) } : {}) });
  }
  return { published, exposed };
}

/** One pod's containers and volumes; `podName` is what strata names it (a replica's own name). */
function podPlan(podName: string, spec: Raw, where: string, l: Lookups): PodPlan {
  if (array(spec.initContainers).length) throw new KubeError(`${where}.spec.initContainers: not supported by strata yet`);
  const volumes: PodVolume[] = [];
  const hostDirs: string[] = [];
  const sources = new Map<string, Pick<MountRequest, 'type' | 'source'>>();
  for (const v of array(spec.volumes)) {
    const name = String(v.name);
    if (isObject(v.emptyDir)) {
      if (v.emptyDir.medium === 'Memory') sources.set(name, { type: 'tmpfs' });
      else {
        volumes.push({ name: `${podName}-${name}`, emptyDir: true });
        sources.set(name, { type: 'volume', source: `${podName}-${name}` });
      }
    } else if (isObject(v.persistentVolumeClaim)) {
      const claim = String(v.persistentVolumeClaim.claimName);
      volumes.push({ name: claim, emptyDir: false });
      sources.set(name, { type: 'volume', source: claim });
    } else if (isObject(v.hostPath)) {
      const hostPath = String(v.hostPath.path);
      if (v.hostPath.type === 'DirectoryOrCreate') hostDirs.push(hostPath);
      sources.set(name, { type: 'bind', source: hostPath });
    } else throw new KubeError(`${where}.spec.volumes[${name}]: only emptyDir, hostPath and persistentVolumeClaim are supported`);
  }
  const containers = array(spec.containers);
  if (containers.length === 0) throw new KubeError(`${where}.spec.containers: a pod needs at least one container`);
  const restart = RESTART[String(spec.restartPolicy ?? 'Always')];
  if (!restart) throw new KubeError(`${where}.spec.restartPolicy: invalid value "${String(spec.restartPolicy)}"`);
  const owner = `${podName}-${String(containers[0].name)}`;
  const allPorts = containers.map((c, i) => ports(c, `${where}.spec.containers[${i}]`));
  return {
    name: podName,
    volumes,
    hostDirs,
    containers: containers.map((c, i): CreateOptions => {
      const at = `${where}.spec.containers[${i}]`;
      if (!c.name || !c.image) throw new KubeError(`${at}: name and image are required`);
      const mounts: MountRequest[] = array(c.volumeMounts).map((m) => {
        const src = sources.get(String(m.name));
        if (!src) throw new KubeError(`${at}.volumeMounts: volume ${String(m.name)} is not in the pod's volumes`);
        return { ...src, target: String(m.mountPath), readOnly: m.readOnly === true };
      });
      const first = i === 0;
      return {
        name: `${podName}-${String(c.name)}`,
        image: String(c.image),
        ...(Array.isArray(c.command) ? { entrypoint: c.command.map(String) } : {}),
        ...(Array.isArray(c.args) ? { cmd: c.args.map(String) } : {}),
        env: environment(c, at, l),
        ...(c.workingDir ? { workdir: String(c.workingDir) } : {}),
        ...security(c, spec),
        tty: c.tty === true,
        openStdin: c.stdin === true,
        limits: limits(c, at),
        labels: { [KUBE_LABEL.pod]: podName, [KUBE_LABEL.container]: String(c.name) },
        restartPolicy: { name: restart, maximumRetryCount: 0 },
        mounts,
        // the pod's network: the first container's, with every container's published ports
        ...(first
          ? { hostname: String(spec.hostname ?? podName), ports: allPorts.flatMap((p) => p.published), exposedPorts: allPorts.flatMap((p) => p.exposed), ...(spec.hostNetwork === true ? { network: 'host' } : {}) }
          : { network: `container:${owner}` }),
      };
    }),
  };
}

export interface KubePlan {
  pods: PodPlan[];
  claims: string[]; // PersistentVolumeClaims: named volumes
}

export function planKubeFile(text: string, file: string): KubePlan {
  const docs: Raw[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length) throw new KubeError(`${file}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    const js: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (js === null || js === undefined) continue;
    if (!isObject(js)) throw new KubeError(`${file}: a document is not a mapping`);
    docs.push(js);
  }
  const l: Lookups = { configMaps: keyValues(docs, 'ConfigMap'), secrets: keyValues(docs, 'Secret') };
  const plans: PodPlan[] = [];
  const claims: string[] = [];
  for (const d of docs) {
    const name = String((d.metadata as Raw | undefined)?.name ?? '');
    const where = `${String(d.kind)} ${name}`;
    if (d.kind === 'Pod') {
      if (!name) throw new KubeError(`${file}: a Pod needs metadata.name`);
      plans.push(podPlan(name, isObject(d.spec) ? d.spec : {}, where, l));
    } else if (d.kind === 'Deployment') {
      if (!name) throw new KubeError(`${file}: a Deployment needs metadata.name`);
      const spec = isObject(d.spec) ? d.spec : {};
      const replicas = spec.replicas === undefined ? 1 : Number(spec.replicas);
      if (!Number.isInteger(replicas) || replicas < 0) throw new KubeError(`${where}.spec.replicas: invalid value ${String(spec.replicas)}`);
      const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
      // podman names a deployment's pod <name>-pod; more replicas are numbered after it
      for (let i = 0; i < replicas; i++) {
        const pod = podPlan(i === 0 ? `${name}-pod` : `${name}-pod-${i}`, template, where, l);
        if (replicas > 1 && pod.containers[0].ports?.some((p) => p.hostPort)) throw new KubeError(`${where}: hostPort with ${replicas} replicas: every replica would publish the same host port`);
        plans.push(pod);
      }
    } else if (d.kind === 'PersistentVolumeClaim') {
      claims.push(name);
    } else if (!['ConfigMap', 'Secret', 'Service'].includes(String(d.kind))) {
      throw new KubeError(`${file}: kind ${String(d.kind)} is not supported (Pod, Deployment, ConfigMap, Secret, PersistentVolumeClaim, Service are)`);
    }
  }
  return { pods: plans, claims };
}
