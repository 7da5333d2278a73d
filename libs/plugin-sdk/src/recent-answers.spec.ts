import { RecentAnswers } from './recent-answers.js';

describe('recent answers', () => {
  it('computes a key once, remembers undefined answers too, and never holds more than max', () => {
    const computed: string[] = [];
    const recent = new RecentAnswers<string | undefined>(2);
    const get = (key: string) =>
      recent.get(key, (k) => {
        computed.push(k);
        return k === 'none' ? undefined : k.toUpperCase();
      });
    expect([get('a'), get('a'), get('none'), get('none')]).toEqual(['A', 'A', undefined, undefined]);
    expect(computed).toEqual(['a', 'none']);
    get('b'); // full: emptied, then b kept
    get('a');
    expect(computed).toEqual(['a', 'none', 'b', 'a']);
  });
});
