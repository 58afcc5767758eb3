import { PatchError } from './patch-error.js';

/**
 * RFC 6901 JSON Pointers: `/`-separated reference tokens, `~1` for `/` and `~0` for `~` inside a
 * token. The empty pointer is the whole document.
 *
 *   parseJsonPointer('/metadata/annotations/kubectl.kubernetes.io~1restartedAt')
 *     // ['metadata', 'annotations', 'kubectl.kubernetes.io/restartedAt']
 *   parseJsonPointer('/~01')          // ['~1']: `~0` is decoded last, so `~01` is `~` then `1`
 *   formatJsonPointer(['a/b', 'c~'])  // '/a~1b/c~0'
 */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new PatchError(`invalid JSON pointer "${pointer}": it must be empty or start with "/"`, { malformed: true });
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) {
        throw new PatchError(`invalid JSON pointer "${pointer}": "~" must be followed by 0 or 1`, { malformed: true });
      }
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

export function formatJsonPointer(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + t.replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}
