// /_ping, /version, /info, /system/df, /auth: what a client asks first (version negotiation)
// and the system-wide views.
import os from 'node:os';
import packageJson from '../../../package.json' with { type: 'json' };
import { jsonBody } from '../call.js';
import { ApiError } from '../errors.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '../reply.js';
import type { Routes } from '../router.js';
import { imageListShape, unixSeconds } from '../shapes.js';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };
export const arch = () => ARCH[process.arch] ?? process.arch;

export function registerSystem(r: Routes): void {
  r.on(['GET', 'HEAD'], '/_ping', (call) => {
    call.reply.text(200, 'OK', { 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', 'Builder-Version': '1', 'Swarm': 'inactive' });
  });
  r.on('GET', '/version', () => {
    const details = { Version: packageJson.version, ApiVersion: MAX_API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: '', GoVersion: process.version, Os: 'linux', Arch: arch(), KernelVersion: os.release(), BuildTime: '' };
    return {
      Platform: { Name: 'strata' },
      Components: [{ Name: 'Engine', Version: packageJson.version, Details: { ApiVersion: MAX_API_VERSION, MinAPIVersion: MIN_API_VERSION, Arch: arch(), Os: 'linux', KernelVersion: os.release(), NodeVersion: process.version } }],
      ...details,
    };
  });
  r.on('GET', '/info', async (call) => {
    const info = await call.engine.info();
    const layout = Object.values(info.cgroupLayout);
    return {
      ID: '', Containers: info.containers, ContainersRunning: info.running, ContainersPaused: info.paused, ContainersStopped: info.stopped, Images: info.images,
      Driver: 'overlay', DriverStatus: [['Backing Filesystem', 'overlayfs']], Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Authorization: null, Log: ['json-file'] },
      MemoryLimit: true, SwapLimit: true, CpuCfsPeriod: true, CpuCfsQuota: true, CPUShares: true, CPUSet: true, PidsLimit: true, IPv4Forwarding: true, Debug: false,
      NFd: 0, OomKillDisable: false, NGoroutines: 0, SystemTime: new Date().toISOString(), LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs', CgroupVersion: layout.every((l) => l === 'v2' || l === 'missing') ? '2' : '1', NEventsListener: 0,
      KernelVersion: info.kernel, OperatingSystem: info.os, OSVersion: '', OSType: 'linux', Architecture: arch(), IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: { IndexConfigs: {}, InsecureRegistryCIDRs: ['127.0.0.0/8'], Mirrors: [] }, NCPU: info.cpus, MemTotal: info.memTotal, GenericResources: null,
      DockerRootDir: info.root, HttpProxy: '', HttpsProxy: '', NoProxy: '', Name: os.hostname(), Labels: [], ExperimentalBuild: false, ServerVersion: packageJson.version,
      Runtimes: { strata: { path: 'strata-shim' } }, DefaultRuntime: 'strata', Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
      LiveRestoreEnabled: true, Isolation: '', InitBinary: 'strata-init', ContainerdCommit: { ID: '' }, RuncCommit: { ID: '' }, InitCommit: { ID: '' },
      SecurityOptions: ['name=seccomp,profile=builtin', 'name=cgroupns'], Warnings: [],
    };
  });
  r.on('GET', '/system/df', async (call) => {
    const df = await call.engine.diskUsage();
    return {
      LayersSize: df.layersSize,
      Images: df.images.map((i) => ({ ...imageListShape({ id: i.id, repoTags: i.repoTags, repoDigests: [], created: i.created, size: i.size, layers: 0 }, i.containers), SharedSize: i.sharedSize })),
      Containers: df.containers.map((c) => ({
        Id: c.id, Names: [`/${c.name}`], Image: c.image, ImageID: '', Command: c.command, Created: unixSeconds(c.created), Ports: [], SizeRw: c.sizeRw, SizeRootFs: 0,
        Labels: {}, State: c.running ? 'running' : 'exited', Status: c.status, HostConfig: { NetworkMode: 'bridge' }, NetworkSettings: { Networks: {} }, Mounts: [],
      })),
      Volumes: df.volumes.map((v) => ({ Name: v.name, Driver: 'local', Mountpoint: '', CreatedAt: '', Labels: {}, Scope: 'local', Options: null, UsageData: { Size: v.size, RefCount: v.links } })),
      BuildCache: df.buildCache.map((b) => ({ ID: b.id, Parents: null, Type: 'regular', Description: b.description, InUse: b.inUse, Shared: b.shared, Size: b.size, CreatedAt: b.lastUsed, LastUsedAt: b.lastUsed, UsageCount: 1 })),
    };
  });
  r.on('POST', '/auth', async (call) => {
    const body = await jsonBody<{ username?: string; password?: string; serveraddress?: string }>(call);
    try {
      await call.engine.login(body.serveraddress || 'https://index.docker.io/v1/', body.username ?? '', body.password ?? '');
    } catch (err) {
      throw new ApiError(401, (err as Error).message);
    }
    return { Status: 'Login Succeeded', IdentityToken: '' };
  });
}
