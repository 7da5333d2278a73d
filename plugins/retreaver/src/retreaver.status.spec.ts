import type { CallStatus } from '@switchboard/plugin-sdk';
import { deriveStatus, type StatusInput } from './retreaver.status.js';

describe('deriveStatus (Retreaver status + flags -> ours)', () => {
  const cases: Array<[string, StatusInput, CallStatus]> = [
    // the documented value
    ['finished + connected', { status: 'finished', connected: true, ended: true }, 'completed'],
    ['finished + not connected', { status: 'finished', connected: false, ended: true }, 'missed'],
    [
      'finished + converted, no connected flag',
      { status: 'finished', converted: true, ended: true },
      'completed',
    ],
    [
      'finished + explicit not connected wins over converted',
      { status: 'finished', connected: false, converted: true, ended: true },
      'missed',
    ],
    [
      'finished, V1 record: dialed duration > 0',
      { status: 'finished', connectedSeconds: 193, ended: true },
      'completed',
    ],
    [
      'finished, V1 record: dialed duration 0',
      { status: 'finished', connectedSeconds: 0, ended: true },
      'missed',
    ],
    ['finished, nothing else known', { status: 'finished', ended: true }, 'completed'],
    ['FINISHED in capitals', { status: 'FINISHED', connected: true, ended: true }, 'completed'],
    ['completed synonym', { status: 'completed', connected: false, ended: true }, 'missed'],
    ['ended synonym', { status: 'ended', connected: true, ended: true }, 'completed'],
    // the inferred live value
    ['in_progress + connected', { status: 'in_progress', connected: true, ended: false }, 'in_progress'],
    [
      'in_progress + not connected (IVR, hold, ringing)',
      { status: 'in_progress', connected: false, ended: false },
      'ringing',
    ],
    ['in_progress, no flag', { status: 'in_progress', ended: false }, 'ringing'],
    ['in-progress spelling', { status: 'in-progress', connected: true, ended: false }, 'in_progress'],
    ['ringing', { status: 'ringing', ended: false }, 'ringing'],
    ['answered', { status: 'answered', ended: false }, 'in_progress'],
    // defensive values
    ['busy', { status: 'busy', ended: true }, 'busy'],
    ['no-answer', { status: 'no-answer', ended: true }, 'missed'],
    ['no_answer', { status: 'no_answer', ended: true }, 'missed'],
    ['failed', { status: 'failed', ended: true }, 'failed'],
    ['error', { status: 'error', ended: true }, 'failed'],
    ['canceled', { status: 'canceled', ended: true }, 'canceled'],
    ['cancelled', { status: 'cancelled', ended: true }, 'canceled'],
    ['abandoned', { status: 'abandoned', ended: true }, 'canceled'],
    ['rejected', { status: 'rejected', ended: true }, 'rejected'],
    ['blocked', { status: 'blocked', ended: true }, 'rejected'],
    // missing or unknown status
    ['no status, ended, connected', { connected: true, ended: true }, 'completed'],
    ['no status, ended, not connected', { connected: false, ended: true }, 'missed'],
    ['no status, live, connected', { connected: true, ended: false }, 'in_progress'],
    ['no status, live, not connected', { connected: false, ended: false }, 'ringing'],
    ['unknown status, ended', { status: 'something-new', connected: true, ended: true }, 'completed'],
    ['unknown status, live', { status: 'something-new', ended: false }, 'ringing'],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(deriveStatus(input)).toBe(expected);
  });
});
