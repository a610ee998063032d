/**
 * Built-in detectors: each finds one kind of sensitive substring in a string. Pure functions, no
 * state between calls (global patterns are used through `String.prototype.replace`, which resets
 * them; the sticky email domain pattern is positioned before every use).
 */

/** The names of the built-in detectors. */
export type DetectorName = "email" | "phone" | "card" | "secret";

export const DETECTOR_NAMES: readonly DetectorName[] = ["secret", "card", "email", "phone"];

type Replace = (match: string) => string;

export interface Detector {
  readonly name: DetectorName;
  /** Cheap pre-check (substring or digit count): skip the scan when it cannot match. */
  readonly mayContain: (s: string) => boolean;
  /** Replace every match; returns `s` itself when nothing matched. */
  readonly replaceAll: (s: string, replace: Replace) => string;
}

/** A scan by a global regex, with an optional second look at each candidate (Luhn, digit counts). */
function byRegex(pattern: RegExp, accept?: (match: string) => boolean): Detector["replaceAll"] {
  return (s, replace) => {
    let changed = false;
    const out = s.replace(pattern, (m) => {
      if (accept && !accept(m)) return m;
      changed = true;
      return replace(m);
    });
    return changed ? out : s;
  };
}

/** At least `n` ASCII digits: cards need 13, phones 8. One pass, no regex. */
function hasDigits(s: string, n: number): boolean {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++count >= n) return true;
  }
  return false;
}

/** Luhn checksum over the digits of `s` (separators ignored). */
export function luhnValid(s: string): boolean {
  let sum = 0;
  let double = false;
  let digits = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    digits++;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits >= 13 && digits <= 19 && sum % 10 === 0;
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const DATE_PREFIX = /^\d{4}[-./]\d{2}[-./]\d{2}(?!\d)/;
const LAST_GROUP = /\d+$/;

function phoneLike(m: string): boolean {
  const n = digitCount(m);
  if (m.startsWith("+")) return n >= 8 && n <= 15;
  // Without a country code: 9–15 digits, not an IP or a date ("2024-05-02 10"), and either an area
  // code in parentheses or a last group of 4+ digits ("100 200 300 400" is a list of numbers).
  if (n < 9 || n > 15 || IPV4.test(m) || DATE_PREFIX.test(m)) return false;
  return m.includes("(") || (LAST_GROUP.exec(m)?.[0].length ?? 0) >= 4;
}

/**
 * Common API-key prefixes (OpenAI / Anthropic `sk-`, Stripe, AWS access keys, GitHub, Slack,
 * Google, GitLab, Hugging Face, npm, Bento's own `bl_pk_`), bearer tokens and JWTs.
 */
const SECRET = new RegExp(
  [
    String.raw`(?<![\w-])(?:sk|rk|pk)-(?:[A-Za-z]+-)?[A-Za-z0-9_-]{20,}`,
    String.raw`(?<!\w)(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}`,
    String.raw`(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])`,
    String.raw`(?<!\w)(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}`,
    String.raw`(?<!\w)github_pat_[A-Za-z0-9_]{30,}`,
    String.raw`(?<!\w)xox[abposr]-[A-Za-z0-9-]{10,}`,
    String.raw`(?<![\w-])AIza[A-Za-z0-9_-]{35}`,
    String.raw`(?<![\w-])glpat-[A-Za-z0-9_-]{20,}`,
    String.raw`(?<!\w)hf_[A-Za-z0-9]{30,}`,
    String.raw`(?<!\w)npm_[A-Za-z0-9]{36}`,
    String.raw`(?<!\w)bl_pk_[A-Za-z0-9_-]{4,}`,
    // A bearer token must hold a digit: "Bearer responsibility" is prose, not a credential.
    String.raw`\b[Bb]earer\s+(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{16,}`,
    String.raw`(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
  ].join("|"),
  "g",
);

/** A piece every secret pattern contains; one cheap scan that rules most strings out. */
const SECRET_HINT = /[srp]k[-_]|AKIA|ASIA|gh[pousr]_|github_pat_|xox|AIza|glpat-|hf_|npm_|bl_pk_|earer|eyJ/;

const LOCAL = /[A-Za-z0-9._%+-]/;
const DOMAIN = /[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![\w-])/y;

/**
 * Emails, anchored on each "@": the local part is read backwards (at most 64 characters, and not
 * glued to a longer word), the domain with a sticky regex. Linear, unlike a regex tried at every offset.
 */
function replaceEmails(s: string, replace: Replace): string {
  let out = "";
  let last = 0;
  for (let at = s.indexOf("@"); at !== -1; at = s.indexOf("@", at + 1)) {
    let start = at;
    while (start > last && at - start < 64 && LOCAL.test(s[start - 1]!)) start--;
    if (start === at || (start > 0 && /[\w.%+-]/.test(s[start - 1]!) && start !== last)) continue;
    DOMAIN.lastIndex = at + 1;
    const m = DOMAIN.exec(s);
    if (!m) continue;
    const end = at + 1 + m[0].length;
    out += s.slice(last, start) + replace(s.slice(start, end));
    last = end;
    at = end - 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

export const DETECTORS: Readonly<Record<DetectorName, Detector>> = {
  secret: {
    name: "secret",
    mayContain: (s) => SECRET_HINT.test(s),
    replaceAll: byRegex(SECRET),
  },
  card: {
    name: "card",
    // 13–19 digits starting 2–6 (the issuer ranges of Visa, Mastercard, Amex, Discover, JCB, Diners,
    // UnionPay; ids and nanosecond timestamps starting 1 or 7–9 are left alone), optionally grouped by
    // single spaces or dashes, not inside a longer number.
    mayContain: (s) => hasDigits(s, 13),
    replaceAll: byRegex(/(?<![\d.-])[2-6](?:[ -]?\d){12,18}(?!\d)/g, luhnValid),
  },
  email: {
    name: "email",
    mayContain: (s) => s.includes("@"),
    replaceAll: replaceEmails,
  },
  phone: {
    name: "phone",
    // "+1 415 555 2671", "(415) 555-2671", "415.555.2671", "+447911123456", "030 1234 5678".
    mayContain: (s) => hasDigits(s, 8),
    replaceAll: byRegex(/(?<![\w+.-])(?:\+\d{8,15}|(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4})(?![\w]|[.-]\d)/g, phoneLike),
  },
};

/** Whether `name` is a built-in detector. */
export function isDetectorName(name: unknown): name is DetectorName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(DETECTORS, name);
}

/**
 * Replace every accepted match of `detector` in `value` by `replace(match)`. Returns the same
 * string object when nothing matched (callers compare by identity to skip copying).
 */
export function applyDetector(value: string, detector: Detector, replace: Replace): string {
  return detector.mayContain(value) ? detector.replaceAll(value, replace) : value;
}
