import { runMarkedBlockCommand, type MarkedBlockCommand } from "../../src/docs/marked-block-command";

/** Runs a marked-block command in-process (as `npm run graph` would), capturing what it prints. */
export async function runCapturing(spec: MarkedBlockCommand, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const spies = [
    jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true)),
    jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true)),
    jest.spyOn(console, "log").mockImplementation((line) => void (stdout += `${line}\n`)),
    jest.spyOn(console, "error").mockImplementation((line) => void (stderr += `${line}\n`)),
  ];
  try {
    return { code: await runMarkedBlockCommand(argv, spec), stdout, stderr };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}
