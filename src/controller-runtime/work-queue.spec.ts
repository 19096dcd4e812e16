import { ManualClock } from '../simulation/clock';
import { WorkQueue } from './work-queue';

describe('WorkQueue', () => {
  it('hands a key out once however often it is added, and again if added while processed', async () => {
    const queue = new WorkQueue<string>(new ManualClock());
    queue.add('a');
    queue.add('a');
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe('a');
    queue.add('a');
    expect(queue.length).toBe(0);
    queue.done('a');
    expect(queue.length).toBe(1);
  });

  it('keeps the earliest time of a key waiting to be added', async () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>(clock);
    queue.addAfter('a', 10_000);
    queue.addAfter('a', 5_000);
    queue.addAfter('a', 20_000);
    clock.advance(5_000);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    clock.advance(20_000);
    // The later requests were folded into the earlier one: nothing else arrives.
    expect(queue.length).toBe(0);
  });
});
