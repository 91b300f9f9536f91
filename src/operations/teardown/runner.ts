import { spawn } from "node:child_process";

/** One external command the teardown runs: `kubectl`, `aws` or `npx cdktf`. */
export interface Command {
  readonly program: string;
  readonly args: readonly string[];
  /** Added to the inherited environment. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** The runner kills the command after this long and reports it as failed. */
  readonly timeoutMs: number;
  /** Pass the command's output through to the operator as it comes (long runs such as `cdktf destroy`). @default false */
  readonly streamOutput?: boolean;
}

export interface CommandResult {
  /** 0 on success; the runner reports a timeout or a failure to start as a non-zero code. */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command and resolves with its result; never rejects for a failing command. Injected so
 * tests script every answer and no cluster or cloud is needed.
 */
export type CommandRunner = (command: Command) => Promise<CommandResult>;

/** Exit code the runner reports for a command it killed after `timeoutMs` (as coreutils `timeout` does). */
export const TIMED_OUT_EXIT_CODE = 124;

/** The command as an operator would type it, arguments quoted where the shell needs it. */
export function commandLine(command: Pick<Command, "program" | "args" | "env">): string {
  const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
  const env = Object.entries(command.env ?? {}).map(([key, value]) => `${key}=${quote(value)}`);
  return [...env, command.program, ...command.args].map((word, i) => (i < env.length ? word : quote(word))).join(" ");
}

/** Runs commands as child processes of this one (no shell), capturing or streaming their output. */
export const processRunner: CommandRunner = (command) =>
  new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let settled = false;
    const finish = (result: CommandResult) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(result);
      }
    };
    const child = spawn(command.program, [...command.args], {
      env: { ...process.env, ...command.env },
      stdio: command.streamOutput ? ["inherit", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      finish({ exitCode: TIMED_OUT_EXIT_CODE, stdout, stderr: `${stderr}\ntimed out after ${Math.round(command.timeoutMs / 1000)} s` });
    }, command.timeoutMs);
    child.on("error", (error) => finish({ exitCode: 127, stdout, stderr: `${stderr}${error.message}` }));
    child.on("close", (code, signal) => finish({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
