import { ApiError } from './errors.js';

/**
 * How deep a body may nest. Real objects nest about twenty levels; a limit refused up front keeps
 * every recursive step after it (decoding, patching, validation) far from the stack's end.
 */
export const MAX_DEPTH = 100;

/**
 * Refuses a body whose brackets nest deeper than MAX_DEPTH, counted without parsing (strings
 * skipped), so that nothing recursive ever meets it. YAML's block nesting is bounded by the same
 * count of its flow brackets plus the parser's own limits.
 */
export function checkDepth(text: string, max = MAX_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) throw ApiError.badRequest(`the request body nests deeper than ${max} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}
