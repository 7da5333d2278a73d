import type { CallStatus } from '@switchboard/plugin-sdk';
import { deriveRingbaStatus, statusFromIncompleteReason, type RingbaOutcome } from './ringba.status.js';

describe('deriveRingbaStatus', () => {
  const cases: Array<[string, RingbaOutcome, CallStatus | undefined]> = [
    ['live, not connected', { isLive: true, hasConnected: false }, 'ringing'],
    ['live, connected', { isLive: true, hasConnected: true }, 'in_progress'],
    ['live wins over a block reason', { isLive: true, blockReason: 'Duplicate' }, 'ringing'],
    ['ended, connected', { isLive: false, hasConnected: true }, 'completed'],
    [
      'ended, previously connected',
      { isLive: false, hasConnected: false, hasPreviouslyConnected: true },
      'completed',
    ],
    ['ended, connected seconds only', { isLive: false, connectedSeconds: 42 }, 'completed'],
    ['blocked', { isLive: false, hasConnected: false, blockReason: 'Duplicate Caller' }, 'rejected'],
    [
      'blocked even if flagged connected',
      { isLive: false, hasConnected: true, blockReason: 'Spam' },
      'rejected',
    ],
    ['incomplete without reason', { isLive: false, hasConnected: false, isIncomplete: true }, 'failed'],
    ['incomplete: no target', { isLive: false, incompleteCallReason: 'No Target Available' }, 'missed'],
    [
      'incomplete: caller hung up',
      { isLive: false, incompleteCallReason: 'Caller Hung Up In IVR' },
      'canceled',
    ],
    ['incomplete: busy', { isLive: false, isIncomplete: true, incompleteCallReason: 'Target Busy' }, 'busy'],
    ['incomplete: no answer', { isLive: false, incompleteCallReason: 'No Answer' }, 'missed'],
    ['incomplete: unknown reason', { isLive: false, incompleteCallReason: 'Call Failed' }, 'failed'],
    [
      'ended unanswered, caller hung up',
      { isLive: false, hasConnected: false, endCallSource: 'Caller' },
      'canceled',
    ],
    [
      'ended unanswered, target side',
      { isLive: false, hasConnected: false, endCallSource: 'Target' },
      'missed',
    ],
    ['ended unanswered, no end source', { isLive: false, hasConnected: false }, 'missed'],
    ['only hasConnected=false known', { hasConnected: false }, 'missed'],
    ['nothing known', {}, undefined],
    ['only an end source', { endCallSource: 'Caller' }, undefined],
  ];

  it.each(cases)('%s', (_name, outcome, expected) => {
    expect(deriveRingbaStatus(outcome)).toBe(expected);
  });
});

describe('statusFromIncompleteReason', () => {
  it.each([
    ['Blocked by filter', 'rejected'],
    ['Rejected: duplicate', 'rejected'],
    ['Outside business hours', 'missed'],
    ['Target capacity reached', 'missed'],
    ['Timed out', 'missed'],
    ['Call abandoned', 'canceled'],
    [undefined, 'failed'],
  ] as const)('%s -> %s', (reason, expected) => {
    expect(statusFromIncompleteReason(reason)).toBe(expected);
  });
});
