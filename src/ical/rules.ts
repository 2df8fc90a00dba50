// What a server may legally change when it stores a calendar object (RFC 4791 §5.3.4 lets the stored
// object differ from the octets the client sent; RFC 5545 says which differences keep the meaning).
// Every entry names the section it rests on, because the notes the comparison writes cite it.

/** A property whose absence means a particular value, so adding or dropping that value changes nothing. */
export interface PropertyDefault {
  value: string;
  /** Components the property (and so its default) is defined for. */
  components: readonly string[];
  section: string;
}

export const PROPERTY_DEFAULTS: ReadonlyMap<string, PropertyDefault> = new Map([
  // Absent means PUBLIC.
  ['class', { value: 'PUBLIC', components: ['vevent', 'vtodo', 'vjournal'], section: '3.8.1.3' }],
  // Absent means OPAQUE; TRANSP is defined for VEVENT only.
  ['transp', { value: 'OPAQUE', components: ['vevent'], section: '3.8.2.7' }],
  // 0 is "undefined priority", the same as leaving PRIORITY out.
  ['priority', { value: '0', components: ['vevent', 'vtodo'], section: '3.8.1.9' }],
  // A new component has sequence number 0.
  ['sequence', { value: '0', components: ['vevent', 'vtodo', 'vjournal'], section: '3.8.7.4' }],
  // The Gregorian scale is assumed when CALSCALE is absent.
  ['calscale', { value: 'GREGORIAN', components: ['vcalendar'], section: '3.7.1' }],
  // An alarm without REPEAT fires once.
  ['repeat', { value: '0', components: ['valarm'], section: '3.8.6.2' }],
]);

/** Parameters whose absence means a particular value (VALUE is handled by the parser, see normalize.ts). */
export const PARAMETER_DEFAULTS: ReadonlyMap<string, { value: string; section: string }> = new Map([
  ['cutype', { value: 'INDIVIDUAL', section: '3.2.3' }],
  ['encoding', { value: '8BIT', section: '3.2.7' }],
  ['fbtype', { value: 'BUSY', section: '3.2.9' }],
  ['partstat', { value: 'NEEDS-ACTION', section: '3.2.12' }],
  ['related', { value: 'START', section: '3.2.14' }],
  ['reltype', { value: 'PARENT', section: '3.2.15' }],
  ['role', { value: 'REQ-PARTICIPANT', section: '3.2.16' }],
  ['rsvp', { value: 'FALSE', section: '3.2.17' }],
]);

/**
 * Properties that describe the stored copy rather than the event: the product that wrote the object
 * and the store's own timestamps. A server that re-serialises or stores the object owns them.
 */
export const SERVER_MANAGED: ReadonlyMap<string, string> = new Map([
  ['prodid', '3.7.3'],
  ['dtstamp', '3.8.7.2'],
  ['created', '3.8.7.1'],
  ['last-modified', '3.8.7.3'],
]);

/**
 * The properties RFC 5545 defines (§3.7, §3.8.1–§3.8.7), plus EXRULE from RFC 2445 because it still
 * changes the recurrence set. A server adding one of these with a non-default value changes the
 * meaning; a name outside this list is an IANA (§3.8.8.1) or X- (§3.8.8.2) property.
 */
export const RFC5545_PROPERTIES: ReadonlySet<string> = new Set(
  (
    'calscale method prodid version attach categories class comment description geo location percent-complete ' +
    'priority resources status summary completed dtend due dtstart duration freebusy transp tzid tzname ' +
    'tzoffsetfrom tzoffsetto tzurl attendee contact organizer recurrence-id related-to url uid exdate rdate ' +
    'rrule exrule action repeat trigger created dtstamp last-modified sequence request-status'
  ).split(' '),
);

/** The parameters RFC 5545 defines (§3.2.1–§3.2.20); any other name is an IANA or X- parameter. */
export const RFC5545_PARAMETERS: ReadonlySet<string> = new Set(
  (
    'altrep cn cutype delegated-from delegated-to dir encoding fmttype fbtype language member partstat range ' +
    'related reltype role rsvp sent-by tzid value'
  ).split(' '),
);

/**
 * Properties whose value may be a comma-separated list and that may also appear several times:
 * one line with a list and several lines with one value each are the same set (§3.1.2), and the
 * order of the values carries no meaning (§3.1.1).
 */
export const LIST_PROPERTIES: ReadonlySet<string> = new Set(['categories', 'resources', 'rdate', 'exdate', 'freebusy']);

/** Properties whose values are enumerations, which are case-insensitive (§3.1). */
export const ENUMERATED_PROPERTIES: ReadonlySet<string> = new Set([
  'class',
  'transp',
  'status',
  'action',
  'calscale',
  'method',
]);

/** `X-` names (§3.8.8.2 properties, §3.2 x-param) and names RFC 5545 does not define (IANA-registered). */
export function isExtensionProperty(name: string): boolean {
  return name.startsWith('x-') || !RFC5545_PROPERTIES.has(name);
}

export function isExtensionParameter(name: string): boolean {
  return name.startsWith('x-') || !RFC5545_PARAMETERS.has(name);
}
