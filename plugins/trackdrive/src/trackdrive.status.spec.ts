import { CALL_STATUSES } from '@switchboard/plugin-sdk';
import { mapTrackDriveStatus, TRACKDRIVE_STATUS_MAP } from './trackdrive.status.js';

/** Every status in TrackDrive's "Call Lifecycle and Status Values" article, with our mapping. */
const DOCUMENTED: Array<[string, string]> = [
  ['initiated', 'ringing'],
  ['calling-leads', 'ringing'],
  ['on-hold', 'ringing'],
  ['waiting', 'ringing'],
  ['established', 'in_progress'],
  ['forwarded', 'in_progress'],
  ['finished', 'completed'],
  ['no-answer', 'missed'],
  ['no-answer-convert-on-attempt', 'missed'],
  ['busy', 'busy'],
  ['failed', 'failed'],
  ['canceled', 'canceled'],
  ['cancelled', 'canceled'],
  ['caller-hung-up', 'canceled'],
  ['caller-hung-up-while-ringing-buyer', 'canceled'],
  ['no-buyer', 'rejected'],
  ['no-buyer-all-filtered', 'rejected'],
  ['no-buyer-prevent-dupes', 'rejected'],
  ['hold-queue-no-buyer', 'rejected'],
  ['hold-queue-waited-too-long', 'missed'],
  ['hold-queue-hung-up', 'canceled'],
  ['ivr-hung-up', 'canceled'],
  ['ivr-no-keypress', 'canceled'],
  ['rejected', 'rejected'],
  ['rejected-caller-concurrency-exceeded', 'rejected'],
  ['rejected-ivr-hang-up', 'rejected'],
  ['rejected-no-concurrency-cap-available', 'rejected'],
  ['rejected-traffic-source-capped-hang-up', 'rejected'],
  ['blocked', 'rejected'],
  ['invalid-number', 'failed'],
  ['no-route-to-destination', 'failed'],
  ['not-open', 'rejected'],
  ['opt-out', 'canceled'],
  ['voicemail', 'missed'],
  ['voicemail-detected', 'missed'],
  ['left-voicemail', 'missed'],
  ['added-to-schedule', 'missed'],
];

describe('TrackDrive status mapping', () => {
  it.each(DOCUMENTED)('maps %s to %s', (status, expected) => {
    expect(mapTrackDriveStatus(status)).toBe(expected);
  });

  it('covers exactly the documented list, and only with our statuses', () => {
    expect(Object.keys(TRACKDRIVE_STATUS_MAP).sort()).toEqual(DOCUMENTED.map(([s]) => s).sort());
    for (const status of Object.values(TRACKDRIVE_STATUS_MAP)) expect(CALL_STATUSES).toContain(status);
  });

  it.each([
    ['caller-hung-up-in-queue', 'canceled'],
    ['no-buyer-over-budget', 'rejected'],
    ['hold-queue-full', 'missed'],
    ['ivr-timeout', 'canceled'],
    ['rejected-duplicate', 'rejected'],
    ['voicemail-full', 'missed'],
  ])('maps an undocumented member of a prefix family (%s -> %s)', (status, expected) => {
    expect(mapTrackDriveStatus(status)).toBe(expected);
  });

  it('ignores case, spaces and underscores', () => {
    expect(mapTrackDriveStatus(' Finished ')).toBe('completed');
    expect(mapTrackDriveStatus('NO_ANSWER')).toBe('missed');
    expect(mapTrackDriveStatus('caller hung up')).toBe('canceled');
  });

  it('answers undefined for unknown or empty values', () => {
    expect(mapTrackDriveStatus('teleported')).toBeUndefined();
    expect(mapTrackDriveStatus('')).toBeUndefined();
    expect(mapTrackDriveStatus(undefined)).toBeUndefined();
  });
});
