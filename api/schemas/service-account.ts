import { z } from 'zod';
import { TypeMeta } from './meta.js';
import { ObjectReference } from './service.js';

/** core/v1 ServiceAccount: the identity pods run as; every namespace has one named `default`. */
export const ServiceAccount = z
  .object({
    ...TypeMeta,
    secrets: z.array(ObjectReference).optional().describe('Secrets in the namespace that pods running as this account may use.'),
    imagePullSecrets: z.array(z.object({ name: z.string().optional() })).optional().describe('Secrets for pulling the images of pods running as this account.'),
    automountServiceAccountToken: z.boolean().optional().describe("Whether pods running as this account get an API token mounted."),
  })
  .describe('An identity for processes that run in a pod.');
export type ServiceAccount = z.infer<typeof ServiceAccount>;

/** authentication.k8s.io/v1 TokenRequest: what `serviceaccounts/NAME/token` takes and answers. */
export const TokenRequest = z
  .object({
    ...TypeMeta,
    spec: z
      .object({
        audiences: z.array(z.string()).optional().describe('Who the token is meant for; the API server itself when empty.'),
        expirationSeconds: z.number().int().optional().describe('How long the token lasts: at least 600, an hour unless given.'),
        boundObjectRef: z.object({ kind: z.string().optional(), apiVersion: z.string().optional(), name: z.string().optional(), uid: z.string().optional() }).nullable().optional(),
      })
      .optional(),
    status: z.object({ token: z.string().optional(), expirationTimestamp: z.string().optional() }).optional(),
  })
  .describe('Requests a token for a service account.');
