/**
 * TrackDrive's filter parameters take dates "formatted like 2016-01-01 12:25:15 -0500". We always
 * send UTC with an explicit +0000 offset so the account's time zone never matters.
 */
export function formatTrackDriveDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Whole seconds only: round down (for an inclusive start). */
export function floorToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** Whole seconds only: round up (for an end TrackDrive treats as inclusive; we filter the rest). */
export function ceilToSecond(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / 1000) * 1000);
}
