/**
 * Remembers a pure function's recent answers by key, in a map emptied when it reaches `max`
 * entries: for lookups on a hot path whose keys come from a small, repeating vocabulary (payload
 * keys, phone numbers), bounded so keys a sender invents cannot grow it without limit.
 */
export class RecentAnswers<V> {
  private readonly answers = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, compute: (key: string) => V): V {
    if (this.answers.has(key)) return this.answers.get(key) as V;
    const answer = compute(key);
    if (this.answers.size >= this.max) this.answers.clear();
    this.answers.set(key, answer);
    return answer;
  }
}
