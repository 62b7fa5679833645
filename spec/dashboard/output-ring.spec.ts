/**
 * `OutputRing` and `EventHistory`: the bounded memories behind the page's output ranges and the
 * stream's resume.
 */
import { EventHistory } from '../../src/dashboard/event-history';
import { OutputRing } from '../../src/dashboard/output-ring';

describe('OutputRing', () => {
  it('keeps the last `capacity` characters, addressed by offsets from the first one written', () => {
    const ring = new OutputRing(100);
    let all = '';
    for (let i = 0; i < 1000; i += 1) {
      const chunk = `${i},`;
      all += chunk;
      ring.push(chunk);
    }
    const tail = ring.slice({ limit: 30 });
    expect(tail).toEqual({ start: all.length - 30, end: all.length, first: all.length - 100, total: all.length, text: all.slice(-30) });
    const earlier = ring.slice({ end: tail.start, limit: 1000 });
    expect(earlier).toMatchObject({ start: all.length - 100, end: all.length - 30, text: all.slice(all.length - 100, all.length - 30) });
  });

  it('never starts a slice inside a surrogate pair', () => {
    const ring = new OutputRing(1000);
    ring.push('a😀b');
    expect(ring.slice({ limit: 2 })).toMatchObject({ start: 3, text: 'b' });
    expect(ring.slice({ limit: 3 })).toMatchObject({ start: 1, text: '😀b' });
  });
});

describe('EventHistory', () => {
  it('numbers messages 1, 2, 3, ... and gives what follows an id, or null once it is dropped', () => {
    const history = new EventHistory(30);
    for (let i = 0; i < 10; i += 1) history.add((id) => `message ${id}`); // 9 or 10 characters each
    expect(history.lastId).toBe(10);
    expect(history.after(10)).toEqual([]);
    expect(history.after(8)?.map((entry) => entry.text)).toEqual(['message 9', 'message 10']);
    expect(history.after(7)?.map((entry) => entry.id)).toEqual([8, 9, 10]);
    expect(history.after(6)).toBeNull();
  });
});
