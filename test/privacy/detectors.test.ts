import { describe, expect, it } from "vitest";
import { applyDetector, DETECTORS, luhnValid, type DetectorName } from "../../src/privacy/detectors.js";

const found = (name: DetectorName, text: string): string[] => {
  const hits: string[] = [];
  applyDetector(text, DETECTORS[name], (m) => {
    hits.push(m);
    return "X";
  });
  return hits;
};

// [detector, text, what it must find (empty: nothing)]
const CASES: Array<[DetectorName, string, string[]]> = [
  // emails
  ["email", "write to jane.doe+agent@acme-corp.co.uk today", ["jane.doe+agent@acme-corp.co.uk"]],
  ["email", "JANE@EXAMPLE.COM", ["JANE@EXAMPLE.COM"]],
  ["email", "a@b.io and c_d@e.f.org", ["a@b.io", "c_d@e.f.org"]],
  ["email", "@mention someone on slack", []],
  ["email", "npm i @scope/pkg@1.2.3", []],
  ["email", "user@localhost", []],
  ["email", "price: 5 @ $3.50", []],
  // phones
  ["phone", "call +1 415 555 2671 now", ["+1 415 555 2671"]],
  ["phone", "(415) 555-2671", ["(415) 555-2671"]],
  ["phone", "415.555.2671", ["415.555.2671"]],
  ["phone", "+447911123456", ["+447911123456"]],
  ["phone", "Berlin office: 030 1234 5678", ["030 1234 5678"]],
  ["phone", "on 2024-01-15 at 10:30", []],
  ["phone", "server 192.168.100.100 is down", []],
  ["phone", "version 1.2.3 of the model", []],
  ["phone", "order 123456789 shipped", []],
  ["phone", "logged at 2024-05-02 10:30:00", []],
  ["phone", "scores 100 200 300 400", []],
  ["phone", "ids 12-34-56-78-90", []],
  ["phone", "2 + 2 = 4, 100 - 50", []],
  ["phone", "trace 4bf92f3577b34da6a3ce929d0e0e4736", []],
  // cards (Luhn-checked)
  ["card", "card 4111 1111 1111 1111 exp 12/29", ["4111 1111 1111 1111"]],
  ["card", "4111-1111-1111-1111", ["4111-1111-1111-1111"]],
  ["card", "amex 378282246310005", ["378282246310005"]],
  ["card", "5555555555554444", ["5555555555554444"]],
  ["card", "4111 1111 1111 1112", []], // fails Luhn
  ["card", "1234567890123456", []], // fails Luhn
  ["card", "id 12345678901234567890123", []], // too long: part of a longer number
  ["card", "1.4111111111111111", []], // inside a decimal
  ["card", "tokens: 1200, cost 0.03", []],
  ["card", "at 1717171717171717176 ns", []], // Luhn-valid, but a timestamp: no issuer starts with 1
  ["card", "diners 30569309025904", ["30569309025904"]],
  // secrets
  ["secret", "OPENAI_API_KEY=sk-proj-abcDEF1234567890abcdef1234", ["sk-proj-abcDEF1234567890abcdef1234"]],
  ["secret", "key sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA", ["sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA"]],
  ["secret", "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", ["sk_live_4eC39HqLyjWDarjtT1zdp7dc"]],
  ["secret", "aws AKIAIOSFODNN7EXAMPLE", ["AKIAIOSFODNN7EXAMPLE"]],
  ["secret", "ghp_1234567890abcdefghijABCDEFGHIJ123456", ["ghp_1234567890abcdefghijABCDEFGHIJ123456"]],
  ["secret", "xoxb-123456789012-abcdefABCDEF", ["xoxb-123456789012-abcdefABCDEF"]],
  ["secret", "AIzaSyA1234567890abcdefghijklmnopqrstuv", ["AIzaSyA1234567890abcdefghijklmnopqrstuv"]],
  ["secret", "bento key bl_pk_live_0123456789", ["bl_pk_live_0123456789"]],
  ["secret", "Authorization: Bearer abc123def456ghi789jkl", ["Bearer abc123def456ghi789jkl"]],
  ["secret", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"]],
  ["secret", "the task-list risk-assessment ask-me-anything", []],
  ["secret", "Bearer responsibility for the outcome", []],
  ["secret", "sk-short", []],
  ["secret", "a desk_live_demo", []],
  ["secret", "eyJ is how base64 JSON starts", []],
];

describe("built-in detectors", () => {
  it.each(CASES)("%s in %j finds %j", (name, text, expected) => {
    expect(found(name, text)).toEqual(expected);
  });

  it("returns the very same string when nothing matches (no copy)", () => {
    const s = "nothing sensitive here: 42 tokens";
    for (const d of Object.values(DETECTORS)) expect(applyDetector(s, d, () => "X")).toBe(s);
  });

  it("checks card numbers with Luhn", () => {
    expect(luhnValid("4012888888881881")).toBe(true);
    expect(luhnValid("4012888888881882")).toBe(false);
    expect(luhnValid("0000000000000")).toBe(true); // all zeros passes Luhn, 13 digits
    expect(luhnValid("123")).toBe(false); // too short to be a card
  });

  it("is linear on long adversarial input", () => {
    const nasty = "a".repeat(50_000) + "@" + "b.".repeat(20_000) + "1 ".repeat(20_000);
    const t0 = performance.now();
    for (const d of Object.values(DETECTORS)) applyDetector(nasty, d, () => "X");
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
