/** Quote one word for a POSIX shell only when it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that fetches the next page: the same arguments with `--cursor <next>` in place of
 * any cursor given, so the next page is one copy-paste away. `--api-key` values are dropped (they
 * would print a secret; the next run finds the key where this one did, or the user re-adds it).
 */
export function nextPageCommand(argv: readonly string[], cursor: string): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i] ?? "";
    if (t === "--cursor" || t === "--api-key") {
      i++;
      continue;
    }
    if (t.startsWith("--cursor=") || t.startsWith("--api-key=")) continue;
    kept.push(t);
  }
  return ["bentolabs", ...kept, "--cursor", cursor].map(shellWord).join(" ");
}
