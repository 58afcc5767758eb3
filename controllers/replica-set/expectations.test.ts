import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock.js';
import { EXPECTATIONS_TIMEOUT_MS, PodExpectations } from './expectations.js';

describe('PodExpectations', () => {
  it('waits for each create and counts each awaited deletion once (the doc example)', () => {
    const exp = new PodExpectations({ clock: new FakeClock() });
    expect(exp.satisfied('default/web')).toBe(true);
    exp.expectCreations('default/web', 2);
    exp.creationObserved('default/web');
    expect(exp.satisfied('default/web')).toBe(false);
    exp.creationObserved('default/web');
    expect(exp.satisfied('default/web')).toBe(true);
    exp.expectDeletions('default/web', ['default/web-a', 'default/web-b']);
    exp.deletionObserved('default/web', 'default/web-a');
    exp.deletionObserved('default/web', 'default/web-a');
    exp.deletionObserved('default/web', 'default/web-z');
    expect(exp.pending('default/web')).toEqual({ adds: 0, dels: 1 });
    expect(exp.satisfied('default/web')).toBe(false);
    exp.deletionObserved('default/web', 'default/web-b');
    expect(exp.satisfied('default/web')).toBe(true);
  });

  it('gives up waiting after five minutes, and forgets a deleted controller', () => {
    const clock = new FakeClock();
    const exp = new PodExpectations({ clock });
    exp.expectCreations('default/web', 1);
    clock.advance(EXPECTATIONS_TIMEOUT_MS);
    expect(exp.satisfied('default/web')).toBe(false);
    clock.advance(1);
    expect(exp.satisfied('default/web')).toBe(true);
    exp.expectCreations('default/db', 3);
    exp.delete('default/db');
    expect(exp.satisfied('default/db')).toBe(true);
    expect(exp.pending('default/db')).toBeUndefined();
  });

  it('keeps the controllers apart, and when disabled is always satisfied', () => {
    const exp = new PodExpectations({ clock: new FakeClock() });
    exp.expectCreations('default/web', 1);
    expect(exp.satisfied('default/db')).toBe(true);
    exp.creationObserved('default/db');
    expect(exp.satisfied('default/web')).toBe(false);
    const off = new PodExpectations({ clock: new FakeClock(), enabled: false });
    off.expectCreations('default/web', 1);
    expect(off.satisfied('default/web')).toBe(true);
  });
});
