import { z } from 'zod';
import { TypeMeta } from './meta.js';

/** core/v1 ConfigMap and Secret: configuration kept apart from code (the twelve factors' third). */

export const ConfigMap = z
  .object({
    ...TypeMeta,
    immutable: z.boolean().optional(),
    data: z.record(z.string(), z.string()).optional().describe('Configuration data as UTF-8 strings.'),
    binaryData: z.record(z.string(), z.string()).optional().describe('Binary configuration data, base64-encoded.'),
  })
  .describe('Non-confidential configuration as key-value pairs.');
export type ConfigMap = z.infer<typeof ConfigMap>;

export const Secret = z
  .object({
    ...TypeMeta,
    immutable: z.boolean().optional(),
    data: z.record(z.string(), z.string()).optional().describe('Secret data, base64-encoded.'),
    stringData: z
      .record(z.string(), z.string())
      .optional()
      .describe('Write-only convenience: plain strings merged into data on write.'),
    type: z.string().optional().describe('Used to facilitate programmatic handling of secret data. Defaults to Opaque.'),
  })
  .describe('Confidential data such as passwords, tokens or keys.');
export type Secret = z.infer<typeof Secret>;
