import type { TableColumnDefinition } from './types.js';

/**
 * One column definition, with the defaults the wire format still spells out (`format: ""`,
 * `priority: 0`), since kubectl reads every field:
 *
 *   column('IP', "The pod's IP address.", { wide: true })
 *   // { name: 'IP', type: 'string', format: '', description: "The pod's IP address.", priority: 1 }
 */
export function column(
  name: string,
  description: string,
  opts: { type?: TableColumnDefinition['type']; wide?: boolean; format?: string } = {},
): TableColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.wide ? 1 : 0 };
}

/** The Name and Age columns most kinds share. */
export const nameColumn = column('Name', 'Name must be unique within a namespace.', { format: 'name' });
export const ageColumn = column('Age', 'When the object was created (RFC 3339).');

/** The wide columns of the kinds that own a pod template. */
export const templateColumns = (selectorDescription: string): TableColumnDefinition[] => [
  column('Containers', 'Names of each container in the template.', { wide: true }),
  column('Images', 'Images referenced by each container in the template.', { wide: true }),
  column('Selector', selectorDescription, { wide: true }),
];
