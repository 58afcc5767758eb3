import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether the real kubectl is on the PATH; the tests that need it skip loudly without it, and fail under CI=true. */
export function kubectlOnPath(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'kubectl'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
