import { CtlError } from './errors.js';
import { contextRows, saveKubeconfig, setContext, useContext, type LoadedKubeconfig } from './kubeconfig.js';
import { renderJsonPath } from './jsonpath.js';
import { parseOutput, toYaml } from './output.js';
import { alignTabs } from './tabwriter.js';

/**
 * `minikctl config SUBCOMMAND`: reads and changes the kubeconfig file the session chose, and
 * writes it back to that same file. Answers what to print.
 *
 *   config get-contexts                         CURRENT   NAME    CLUSTER   AUTHINFO   NAMESPACE
 *                                               *         minik   minik     minik      default
 *   config get-clusters                         NAME
 *                                               minik
 *   config use-context other                    Switched to context "other".
 *   config set-context --current --namespace=x  Context "minik" modified.
 */
export function runConfig(
  kc: LoadedKubeconfig,
  sub: 'get-contexts' | 'get-clusters' | 'get-users' | 'current-context' | 'use-context' | 'set-context' | 'view',
  args: string[],
  o: { current?: boolean; namespace?: string; cluster?: string; user?: string; output?: string; noHeaders?: boolean },
): string {
  switch (sub) {
    case 'get-contexts': {
      if (o.output === 'name') return (kc.config.contexts ?? []).map((c) => `${c.name}\n`).join('');
      const rows = contextRows(kc.config, args[0]);
      return `${alignTabs((o.noHeaders ? rows.slice(1) : rows).map((r) => r.join('\t')).join('\n'), 3)}\n`;
    }
    case 'get-clusters':
    case 'get-users': {
      // One column, NAME, as kubectl lists them, in the file's order.
      const list = sub === 'get-clusters' ? (kc.config.clusters ?? []) : (kc.config.users ?? []);
      return ['NAME', ...list.map((x) => x.name)].map((l) => `${l}\n`).join('');
    }
    case 'current-context': {
      const current = kc.config['current-context'];
      if (!current) throw new CtlError('current-context is not set');
      return `${current}\n`;
    }
    case 'use-context': {
      if (!args[0]) throw new CtlError('Unexpected args: []');
      useContext(kc.config, args[0]);
      saveKubeconfig(kc);
      return `Switched to context "${args[0]}".\n`;
    }
    case 'set-context': {
      if (o.current && args[0]) throw new CtlError('you cannot specify both a context name and --current');
      if (!o.current && !args[0]) throw new CtlError('you must specify a non-empty context name or --current');
      const { name, created } = setContext(kc.config, o.current ? undefined : args[0], {
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
        ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
        ...(o.user !== undefined ? { user: o.user } : {}),
      });
      saveKubeconfig(kc);
      return `Context "${name}" ${created ? 'created' : 'modified'}.\n`;
    }
    case 'view': {
      const view = { apiVersion: 'v1', kind: 'Config', clusters: [], contexts: [], 'current-context': '', preferences: {}, users: [], ...kc.config };
      // kubectl's config view prints YAML by default, and takes the same -o as get but a table.
      const format = parseOutput(o.output);
      if (format.kind === 'json') return `${JSON.stringify(view, null, 4)}\n`;
      if (format.kind === 'jsonpath') return renderJsonPath(format.template, view);
      if (format.kind === 'table' && !format.wide) return toYaml(view);
      if (format.kind === 'yaml') return toYaml(view);
      throw new CtlError(`unable to match a printer suitable for the output format "${o.output}", allowed formats are: json,jsonpath,yaml`);
    }
  }
}
