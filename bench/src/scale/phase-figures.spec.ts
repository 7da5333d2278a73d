import type { ComponentCpu } from './component-cpu.js';
import { lsnBytes } from './component-cpu.js';
import { parseShape } from './deployment.js';
import type { EventWindow } from './event-ledger.js';
import { bottleneck, phaseFigures } from './phase-figures.js';

const window = (over: Partial<EventWindow> = {}): EventWindow => ({
  accepted: 10_000,
  processed: 10_000,
  backlogAtStart: 0,
  backlogAtEnd: 0,
  endToEndP50Ms: 80,
  endToEndP99Ms: 200,
  rowsPerInsert: 12,
  eventsPerBatch: 60,
  ...over,
});

const cpu = (over: Partial<ComponentCpu> = {}): ComponentCpu => ({
  wallMs: 10_000,
  machineIdleShare: 0.5,
  api: 2_000,
  worker: 3_000,
  postgresForApi: 700,
  postgresForWorker: 2_500,
  postgresBackground: 100,
  postgresOtherDatabases: 0,
  redis: 1_500,
  loadGenerator: 900,
  walBytes: 53_000_000,
  postgresConnections: { api: 10, worker: 5 },
  perApi: [2_000],
  perWorker: [3_000],
  ...over,
});

describe('phaseFigures', () => {
  it('divides each side by its own events and the shared components by the busier side', () => {
    const f = phaseFigures({ window: window({ processed: 5_000, backlogAtEnd: 5_000 }), cpu: cpu() });
    expect(f.acceptedPerSecond).toBe(1_000);
    expect(f.processedPerSecond).toBe(500);
    expect(f.backlogGrowthPerSecond).toBe(500);
    expect(f.usPerEvent).toMatchObject({
      api: 200, // 2,000 ms over 10,000 accepted
      worker: 600, // 3,000 ms over 5,000 stored
      postgresIngress: 70,
      postgresPipeline: 500,
      postgresBackground: 10,
      redis: 150,
      total: 200 + 600 + 70 + 500 + 10 + 150,
    });
    expect(f.walBytesPerEvent).toBe(5_300);
    expect(f.cores).toMatchObject({ api: 0.2, worker: 0.3, postgres: 0.33, redis: 0.15 });
  });

  it('charges a phase with one side stopped to the side that ran', () => {
    const f = phaseFigures({
      window: window({ processed: 0 }),
      cpu: cpu({ worker: 0, postgresForWorker: 0 }),
    });
    expect(f.usPerEvent.redis).toBe(150);
    expect(Number.isNaN(f.usPerEvent.worker)).toBe(true);
    expect(f.usPerEvent.total).toBe(200 + 70 + 10 + 150);
  });
});

describe('bottleneck', () => {
  const quiet = phaseFigures({ window: window(), cpu: cpu() });
  const ingressOnly = phaseFigures({ window: window({ accepted: 45_000, processed: 0 }), cpu: cpu() });
  const workersOnly = phaseFigures({ window: window({ accepted: 0, processed: 25_000 }), cpu: cpu() });

  it('says when storing falls behind, which side is slower alone, and that the CPUs are full', () => {
    const saturated = phaseFigures({
      window: window({ processed: 7_000, backlogAtEnd: 3_000 }),
      cpu: cpu({ machineIdleShare: 0.02 }),
    });
    const text = bottleneck({ saturation: saturated, ingressOnly, workersOnly }, 2);
    expect(text).toContain('storing falls behind taking in (backlog +300/s)');
    expect(text).toContain(
      'the api processes take 4500/s and the workers store 2500/s: the pipeline side is the slower',
    );
    expect(text).toContain('all 2 CPUs busy (idle 2%)');
  });

  it('names a process that uses a whole CPU, and a run that is not CPU-bound', () => {
    const saturated = phaseFigures({ window: window(), cpu: cpu({ perApi: [9_500], api: 9_500 }) });
    const text = bottleneck({ saturation: saturated, ingressOnly: quiet, workersOnly }, 2);
    expect(text).toContain('storing keeps up with taking in');
    expect(text).toContain('not CPU-bound (idle 50%)');
    expect(text).toContain('event loop bound: api-1 at 0.95 CPU');
  });
});

describe('parseShape', () => {
  it('reads "<api processes>+<workers>"', () => {
    expect(parseShape('2+1')).toEqual({ apis: 2, workers: 1 });
    expect(() => parseShape('0+1')).toThrow(/e\.g\. 2\+2/);
    expect(() => parseShape('two')).toThrow(/e\.g\. 2\+2/);
  });
});

describe('lsnBytes', () => {
  it('reads a WAL position as bytes', () => {
    expect(lsnBytes('16/B374D848')).toBe(0x16b374d848n);
    expect(lsnBytes('0/0')).toBe(0n);
  });
});
