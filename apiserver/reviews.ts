import { ApiError } from './errors.js';

/**
 * The self-reviews clients ask before acting: `kubectl auth can-i` (SelfSubjectAccessReview, and
 * SelfSubjectRulesReview for `--list`) and `kubectl auth whoami` (SelfSubjectReview). minik
 * authenticates no one and authorizes every request, as a kube-apiserver run with anonymous access
 * and `--authorization-mode=AlwaysAllow` would, and says so: every access is allowed, every rule is
 * `*`, and the caller is `system:anonymous`.
 *
 *   POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews
 *        { spec: { resourceAttributes: { verb: 'delete', resource: 'pods', namespace: 'default' } } }
 *   -> 201 { kind: 'SelfSubjectAccessReview', spec: (as sent), status: { allowed: true, reason: '...' } }
 */

export const REVIEW_GROUPS = [
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    resources: [{ name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] }],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resources: [
      { name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] },
      { name: 'selfsubjectrulesreviews', singularName: 'selfsubjectrulesreview', namespaced: false, kind: 'SelfSubjectRulesReview', verbs: ['create'] },
    ],
  },
] as const;

const REASON = 'minik authorizes every request: it has no access control';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The review named by `group` and `resource`, answered; undefined for a path that is not one. */
export function reviewFor(group: string, resource: string): ((body: unknown) => Json) | undefined {
  const r = REVIEW_GROUPS.find((g) => g.group === group)?.resources.find((x) => x.name === resource);
  if (!r) return undefined;
  return (body) => {
    const sent = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined) as Json | undefined;
    if (!sent) throw ApiError.badRequest(`the request body is not a ${r.kind}`);
    if (sent.kind !== undefined && sent.kind !== r.kind) throw ApiError.badRequest(`the request body is a ${String(sent.kind)}, not a ${r.kind}`);
    const spec = (sent.spec ?? {}) as Json;
    const answer = { kind: r.kind, apiVersion: `${group}/v1`, metadata: { creationTimestamp: null } };
    switch (r.kind) {
      case 'SelfSubjectAccessReview':
        if (!spec.resourceAttributes === !spec.nonResourceAttributes) {
          throw ApiError.invalid({ kind: r.kind, group }, '', [
            { field: 'spec.resourceAttributes', reason: 'FieldValueRequired', message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified' },
          ]);
        }
        return { ...answer, spec, status: { allowed: true, reason: REASON } };
      case 'SelfSubjectRulesReview':
        return {
          ...answer,
          spec,
          status: {
            resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
            nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
            incomplete: false,
          },
        };
      default:
        return { ...answer, status: { userInfo: { username: 'system:anonymous', groups: ['system:unauthenticated'] } } };
    }
  };
}
