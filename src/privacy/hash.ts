import { platform } from "../platform/host.js";

/** Nibble → letter: a hash made of letters only can never look like a card or phone number to a later detector. */
const ALPHABET = "abcdefghijklmnop";

/**
 * A keyed, stable pseudonym: HMAC-SHA256 of `value` under `key`, 64 bits written as 16 letters,
 * prefixed `hmac_`. The same value and key give the same result in every process; without the key
 * the value cannot be guessed by hashing candidates (unlike a plain hash of an email address).
 */
export function keyedHash(key: string, value: string): string {
  const digest = platform.hmacSha256(key, value);
  let out = "hmac_";
  for (let i = 0; i < 8; i++) {
    const b = digest[i]!;
    out += ALPHABET[b >> 4]! + ALPHABET[b & 15]!;
  }
  return out;
}
