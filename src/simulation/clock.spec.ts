import { formatTime, ManualClock, ScaledClock } from './clock';

describe('clocks', () => {
  it('manual time fires timers in order only when advanced, and cancelled ones never', () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const fired: string[] = [];
    clock.after(2000, () => fired.push('b'));
    clock.after(1000, () => fired.push('a'));
    const cancel = clock.after(1500, () => fired.push('cancelled'));
    cancel();
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1001);
    expect(fired).toEqual(['a', 'b']);
    expect(formatTime(clock.now())).toBe('2026-01-01T00:00:02Z');
  });

  it('scaled time runs faster than real time', async () => {
    const clock = new ScaledClock(60);
    const start = clock.now().getTime();
    await new Promise((r) => setTimeout(r, 50));
    expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(60 * 40);
  });
});
