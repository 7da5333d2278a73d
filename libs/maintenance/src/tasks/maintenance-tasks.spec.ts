import { MaintenanceTasks } from './maintenance-tasks.js';

const run = async () => undefined;

describe('MaintenanceTasks', () => {
  it('keeps registered tasks by name; registering a name again replaces it', () => {
    const tasks = new MaintenanceTasks();
    tasks.register({ name: 'retention', pattern: '17 * * * *', run });
    tasks.register({ name: 'inbox-sweep', everyMs: 30_000, run });
    tasks.register({ name: 'inbox-sweep', everyMs: 10_000, run });
    expect(tasks.list().map((t) => [t.name, t.everyMs ?? t.pattern])).toEqual([
      ['retention', '17 * * * *'],
      ['inbox-sweep', 10_000],
    ]);
    expect(tasks.get('retention')?.pattern).toBe('17 * * * *');
    expect(tasks.get('nothing')).toBeUndefined();
  });

  it('refuses names that cannot be scheduler ids and tasks without a schedule', () => {
    const tasks = new MaintenanceTasks();
    expect(() => tasks.register({ name: 'Has Spaces', everyMs: 1_000, run })).toThrow(/lowercase letters/);
    expect(() => tasks.register({ name: 'too-often', everyMs: 10, run })).toThrow(/at least 100/);
    expect(() => tasks.register({ name: 'never', run })).toThrow(/cron pattern/);
    expect(tasks.list()).toEqual([]);
  });
});
