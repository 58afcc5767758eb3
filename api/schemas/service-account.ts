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
