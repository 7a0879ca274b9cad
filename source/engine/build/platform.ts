// The one platform a build has: the host's (strata emulates none). It answers BuildKit's
// automatic platform ARGs and checks `build --platform`.
import { EngineError } from '../errors.js';
import { goArch } from '../images/oci.js';

/** BuildKit's automatic platform ARGs (TARGETARCH, BUILDPLATFORM, …): global, so FROM sees them and a stage's `ARG TARGETARCH` gets them. */
export function platformArgs(): Map<string, string> {
  const arch = goArch();
  const variant = arch === 'arm' ? 'v7' : '';
  const platform = `linux/${arch}${variant ? `/${variant}` : ''}`;
  const vars = new Map<string, string>();
  for (const prefix of ['TARGET', 'BUILD']) {
    vars.set(`${prefix}PLATFORM`, platform);
    vars.set(`${prefix}OS`, 'linux');
    vars.set(`${prefix}ARCH`, arch);
    vars.set(`${prefix}VARIANT`, variant);
  }
  return vars;
}

/** --platform: the host's is fine (as `linux/amd64`, with or without a variant); strata emulates no other. */
export function checkPlatform(platform: string): void {
  const host = `linux/${goArch()}`;
  const asked = platform.toLowerCase().split(',').map((p) => p.trim());
  const other = asked.find((p) => p !== host && !p.startsWith(`${host}/`));
  if (other !== undefined) throw new EngineError(`--platform ${other}: strata builds only for this host's platform, ${host} (no emulation)`, 'invalid');
}
