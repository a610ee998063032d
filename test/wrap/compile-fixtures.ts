import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

export type DecoratorMode = "standard" | "legacy";

const here = fileURLToPath(new URL(".", import.meta.url));
const SOURCE = join(here, "fixtures", "agent.ts");

/**
 * Compile the fixture source with the TypeScript compiler itself (not esbuild), in one decorator
 * mode, and return the emitted module's URL plus every type error found in that mode.
 */
export function compileFixture(mode: DecoratorMode): { url: string; code: string; diagnostics: string[] } {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts"],
    types: ["node"],
    strict: true,
    skipLibCheck: true,
    experimentalDecorators: mode === "legacy",
    sourceMap: false,
  };
  const program = ts.createProgram([SOURCE], options);
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? d.file.fileName : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  let code = "";
  program.emit(program.getSourceFile(SOURCE), (fileName, text) => {
    if (fileName.endsWith(".js")) code = text;
  });
  // The emitted JS imports the SDK source by its `.js` name; point it at the `.ts` file so
  // vitest loads the very same module instance the tests initialize.
  code = code.replace(/(["'])\.\.\/\.\.\/\.\.\/src\/index\.js\1/, JSON.stringify(join(here, "../../src/index.ts")));
  const outDir = join(here, `.compiled-${mode}`);
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, "agent.js");
  writeFileSync(out, code);
  return { url: pathToFileURL(out).href, code: readFileSync(out, "utf8"), diagnostics };
}
