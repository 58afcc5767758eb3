/**
 * The Kubernetes version minik speaks, as `/version` answers it and `minikctl version` prints it:
 * clients such as kubectl check the minor version for skew.
 */
export const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-minik',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '2026-11-21T00:00:00Z',
  goVersion: 'n/a',
  compiler: 'n/a',
  platform: `${process.platform}/${process.arch}`,
};
