// URL layouts imitating the three shapes of server calspec meets most: a plain one (Radicale/Baïkal
// style), Nextcloud's /remote.php/dav tree, and Google's /caldav/v2 with Bearer auth and no MKCALENDAR.

export type LayoutName = 'plain' | 'nextcloud' | 'google';

export interface Layout {
  name: LayoutName;
  /** The DAV root that /.well-known/caldav redirects to (decoded path, ends with /). */
  base: string;
  auth: 'basic' | 'bearer';
  /** Collections that exist before any user resource (parents of homes and principals). */
  skeleton: string[];
  principal(user: string): string;
  home(user: string): string;
  /** RFC 6638 scheduling inbox and outbox (collections inside the home). */
  inbox(user: string): string;
  outbox(user: string): string;
  /** Calendars every user starts with (path relative to the home, ending with /). */
  initialCalendars: string[];
  /** Google refuses MKCALENDAR; clients must use the pre-existing calendar. */
  mkcalendarAllowed: boolean;
}

export function makeLayout(name: LayoutName): Layout {
  const base = layoutBase(name);
  return { ...base, inbox: (u) => base.home(u) + 'inbox/', outbox: (u) => base.home(u) + 'outbox/' };
}

function layoutBase(name: LayoutName): Omit<Layout, 'inbox' | 'outbox'> {
  switch (name) {
    case 'plain':
      return {
        name,
        base: '/',
        auth: 'basic',
        skeleton: ['/', '/principals/', '/calendars/'],
        principal: (u) => `/principals/${u}/`,
        home: (u) => `/calendars/${u}/`,
        initialCalendars: ['default/'],
        mkcalendarAllowed: true,
      };
    case 'nextcloud':
      return {
        name,
        base: '/remote.php/dav/',
        auth: 'basic',
        skeleton: [
          '/remote.php/dav/',
          '/remote.php/dav/principals/',
          '/remote.php/dav/principals/users/',
          '/remote.php/dav/calendars/',
        ],
        principal: (u) => `/remote.php/dav/principals/users/${u}/`,
        home: (u) => `/remote.php/dav/calendars/${u}/`,
        initialCalendars: ['personal/'],
        mkcalendarAllowed: true,
      };
    case 'google':
      return {
        name,
        base: '/caldav/v2/',
        auth: 'bearer',
        skeleton: ['/caldav/v2/'],
        // Google's principal is a non-collection resource inside the user's home.
        principal: (u) => `/caldav/v2/${u}/user`,
        home: (u) => `/caldav/v2/${u}/`,
        initialCalendars: ['events/'],
        mkcalendarAllowed: false,
      };
    default:
      throw new Error(`unknown layout '${String(name)}'; valid layouts: plain, nextcloud, google`);
  }
}
