// Shared by server and client components: fixed locale and time zone, so the
// server's HTML and the browser's render agree.
const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

const date = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** "26 Nov 2026, 03:53 UTC" */
export function formatDateTime(value: string | Date): string {
  return `${dateTime.format(new Date(value))} UTC`;
}

/** "26 Nov 2026" */
export function formatDate(value: string | Date): string {
  return date.format(new Date(value));
}
