import { VERSION } from '../../api/version.js';
import { CtlError } from './errors.js';
import { toYaml } from './output.js';
import type { Session } from './session.js';

export interface VersionOptions {
  client?: boolean;
  output?: string;
}

type Info = Record<string, string>;

/**
 * `minikctl version`: its own version and the server's, as kubectl prints them.
 *
 *   Client Version: v1.32.0-minik
 *   Server Version: v1.32.0-minik
 *
 * As with kubectl, the client's line is printed even when the server cannot be reached, before the
 * error that says why.
 */
export async function runVersion(s: Session, o: VersionOptions): Promise<number> {
  if (o.output !== undefined && o.output !== 'json' && o.output !== 'yaml') throw new CtlError(`--output must be 'yaml' or 'json'`);
  let server: Info | undefined;
  let failure: unknown;
  if (!o.client) {
    try {
      server = await s.rest.request<Info>('GET', '/version');
    } catch (err) {
      failure = err;
    }
  }
  const both = { clientVersion: VERSION, ...(server ? { serverVersion: server } : {}) };
  if (o.output === 'json') s.out(`${JSON.stringify(both, null, 2)}\n`);
  else if (o.output === 'yaml') s.out(toYaml(both));
  else s.out(`Client Version: ${VERSION.gitVersion}\n${server ? `Server Version: ${server.gitVersion}\n` : ''}`);
  if (failure) throw failure;
  return 0;
}
