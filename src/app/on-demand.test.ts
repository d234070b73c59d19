import { describe, expect, it } from 'vitest';
import { OnDemand } from './on-demand.ts';

/** Resources that count how many of each key are open at once, with closes the test can hold. */
function resources() {
  const open = new Map<string, number>();
  const most = new Map<string, number>();
  let opened = 0;
  let holdCloses: Promise<void> | undefined;
  const make = async (key: string) => {
    opened += 1;
    const id = opened;
    open.set(key, (open.get(key) ?? 0) + 1);
    most.set(key, Math.max(most.get(key) ?? 0, open.get(key)!));
    return {
      key, id,
      close: async () => {
        await holdCloses;
        open.set(key, open.get(key)! - 1);
      },
    };
  };
  return {
    make, open, most,
    opened: () => opened,
    holdCloses(): () => void {
      let release!: () => void;
      holdCloses = new Promise((resolve) => (release = resolve));
      return () => {
        holdCloses = undefined;
        release();
      };
    },
  };
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('OnDemand: a resource per key, shared by the calls under way', () => {
  it('answers a call made after the key changed with the new key\'s resource, even while a call still uses the old one', async () => {
    const fake = resources();
    const handle = new OnDemand(fake.make, 60_000);
    let key = 'old';
    const held = gate();
    const first = handle.use(() => key, async (resource) => {
      await held.wait;
      return resource.key;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    key = 'new'; // the settings changed while the first call was under way
    expect(await handle.use(() => key, async (resource) => resource.key)).toBe('new');
    expect(fake.open.get('old')).toBe(1); // still in use: not closed under the first call
    held.open();
    expect(await first).toBe('old');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.open.get('old')).toBe(0); // closed after its last call
    await handle.close();
  });

  it('takes back a resource being let go of when its key comes back, instead of opening the key twice', async () => {
    const fake = resources();
    const handle = new OnDemand(fake.make, 60_000);
    let key = 'local';
    const held = gate();
    const first = handle.use(() => key, async (resource) => {
      await held.wait;
      return resource.id;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    key = 'shared';
    await handle.use(() => key, async () => undefined);
    key = 'local';
    const again = await handle.use(() => key, async (resource) => resource.id);
    held.open();
    expect(again).toBe(await first);
    expect(fake.most.get('local')).toBe(1);
    await handle.close();
    expect(fake.open.get('local')).toBe(0);
  });

  it('opens a key again only after its close has finished', async () => {
    const fake = resources();
    const handle = new OnDemand(fake.make, 60_000);
    await handle.use(() => 'local', async () => undefined);
    const release = fake.holdCloses();
    const closing = handle.close(); // the idle close, slow to finish
    const reopened = handle.use(() => 'local', async (resource) => resource.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.opened()).toBe(1); // waits for the close
    release();
    await closing;
    expect(await reopened).toBe(2);
    expect(fake.most.get('local')).toBe(1);
    await handle.close();
  });
});
