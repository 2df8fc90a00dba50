// The one REPORT every tool in the benchmark sends (same bytes for calspec, autocannon and wrk).
export const REPORT_BODY =
  `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/>` +
  `</d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range ` +
  `start="20300101T000000Z" end="20300201T000000Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
