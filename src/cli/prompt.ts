import { UsageError } from "./usage-error.js";

/** The terminal side of a hidden prompt; process.stdin / process.stderr in the real CLI. */
export interface PromptTerminal {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

const ENTER = new Set(["\r", "\n"]);
const BACKSPACE = new Set(["\x7f", "\b"]);
const CTRL_C = "\x03";
const CTRL_D = "\x04";
const CTRL_U = "\x15";

/**
 * Ask for a secret at a terminal without echoing it: raw mode, one keystroke at a time, Enter
 * ends, Backspace and Ctrl-U edit, Ctrl-C cancels (a usage error: nothing is saved), Ctrl-D on an
 * empty line ends input. The terminal mode is restored on every path.
 */
export function readHidden(prompt: string, term: PromptTerminal): Promise<string> {
  const { input, output } = term;
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    const wasRaw = input.isRaw;
    const finish = (err?: Error) => {
      input.off("data", onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString("utf8")) {
        if (ENTER.has(ch)) return finish();
        if (ch === CTRL_C) return finish(new UsageError("Cancelled: no token was saved."));
        if (ch === CTRL_D) {
          if (value === "") return finish();
          continue;
        }
        if (BACKSPACE.has(ch)) value = value.slice(0, -1);
        else if (ch === CTRL_U) value = "";
        else if (ch >= " ") value += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on("data", onData);
  });
}
