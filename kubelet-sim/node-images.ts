import { imagePullError } from './stages/image-pull.js';

/**
 * The images each simulated node holds, as a container runtime's image store would: an image is
 * pulled once per node, by the first pod that needs it, and every later pod there finds it present
 * (`Container image "nginx:1.27" already present on machine`). Nothing is ever removed, as no
 * simulated disk fills up. Rebuilt from what the pods' statuses show after a restart, so it holds
 * nothing the store does not say: a started container's image is on its node.
 *
 *   images.pull('node-1', 'uid-a', ['nginx:1.27']);
 *   images.presentFor('node-1', 'uid-a')   // []: a pulls it, and says so
 *   images.presentFor('node-1', 'uid-b')   // ['nginx:1.27']
 */
export class NodeImages {
  /** By node: each image and the pod that pulled it ('' when the puller is unknown). */
  private readonly byNode = new Map<string, Map<string, string>>();

  /** The images on `node` that the pod `uid` finds there: all of them but those it pulls itself. */
  presentFor(node: string, uid: string): string[] {
    const images = this.byNode.get(node);
    if (!images) return [];
    const out: string[] = [];
    for (const [image, puller] of images) if (puller !== uid) out.push(image);
    return out;
  }

  /** The pod `uid` starts on `node`: the images it needs that the node lacks are pulled, by it. An image that cannot be pulled never arrives. */
  pull(node: string, uid: string, images: Iterable<string>): void {
    for (const image of images) if (!imagePullError(image)) this.add(node, image, uid);
  }

  /** A container's status shows it started from `image` on `node` (after a restart, say). */
  observed(node: string, image: string): void {
    this.add(node, image, '');
  }

  private add(node: string, image: string, puller: string): void {
    let images = this.byNode.get(node);
    if (!images) this.byNode.set(node, (images = new Map()));
    if (!images.has(image)) images.set(image, puller);
  }
}
