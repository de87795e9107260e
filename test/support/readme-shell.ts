import { spawn } from 'node:child_process';

/** A fenced `sh` block of a Markdown file, with the heading it sits under. */
export interface ShellBlock {
  heading: string;
  script: string;
  /** The URL each `curl` command of the block asks, in order. */
  curlUrls: string[];
  /** For each `curl` command, whether it subscribes over SSE (`accept: text/event-stream`): it streams until stopped. */
  curlStreams: boolean[];
}

/** Every fenced `sh` block of `markdown`, in order. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  let heading = '';
  let open: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (open === null && /^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    else if (open === null && /^\s*```sh\s*$/.test(line)) open = [];
    else if (open !== null && /^\s*```\s*$/.test(line)) {
      const script = open.join('\n');
      // Each `curl` command with its continuation lines; the URL it asks is its first.
      const curls = [...script.matchAll(/^\s*curl\b(?:[^\n]*\\\n)*[^\n]*/gm)]
        .map((match) => match[0])
        .filter((command) => /https?:\/\//.test(command));
      blocks.push({
        heading,
        script,
        curlUrls: curls.map((command) => /https?:\/\/[^\s'"]+/.exec(command)![0]),
        curlStreams: curls.map((command) => command.includes('text/event-stream')),
      });
      open = null;
    } else open?.push(line);
  }
  return blocks;
}

/** A streaming `curl` (SSE) the script started: what it printed so far, and a way to stop it. */
export interface RunningStream {
  /** Everything the `curl` printed so far. */
  output(): string;
  /** Stops the `curl` (SIGTERM), as a reader's Ctrl-C would; the script then goes on. */
  stop(): void;
}

/**
 * Runs `script` in one bash, as a reader pasting it into a shell would, and returns each `curl`
 * command's output, in order: a `curl` function wraps the real one to mark where each answer ends.
 * A `curl` asking for `text/event-stream` streams until stopped: `onStream` is handed it while it runs
 * and must stop it (the script waits for it; a `curl --max-time` in the example bounds the wait).
 */
export function runShell(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  onStream: (stream: RunningStream) => Promise<void> = async (stream) => stream.stop(),
): Promise<string[]> {
  const marker = `--- end of answer ${process.pid} ---`;
  const started = `--- stream started ${process.pid} `;
  // A stopped stream (143: SIGTERM) is a success; any other failure (28: --max-time reached) is not.
  const wrapped = `set -e
curl() {
  case " $* " in
    *text/event-stream*)
      command curl "$@" &
      local pid=$! status=0
      printf '%s%s ---\\n' '${started}' "$pid"
      wait "$pid" || status=$?
      printf '\\n%s\\n' '${marker}'
      [ "$status" -eq 0 ] || [ "$status" -eq 143 ] || return "$status" ;;
    *) command curl "$@"; printf '\\n%s\\n' '${marker}' ;;
  esac
}
${script}
`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', wrapped], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let failure: unknown;
    const startPattern = new RegExp(`${started}(\\d+) ---\\n`, 'g');
    let scanned = 0;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      for (let match; (startPattern.lastIndex = scanned), (match = startPattern.exec(stdout));) {
        const pid = Number(match[1]);
        const from = (scanned = match.index + match[0].length);
        const stop = () => {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            // Already ended.
          }
        };
        onStream({ output: () => stdout.slice(from).split(`\n${marker}\n`)[0]!, stop }).catch((error: unknown) => {
          failure ??= error;
          stop();
        });
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (failure) return reject(failure as Error);
      if (code !== 0) return reject(new Error(`the commands exited ${code}:\n${stderr}\n${stdout}`));
      resolve(
        stdout
          .replace(new RegExp(`${started}\\d+ ---\\n`, 'g'), '')
          .split(`${marker}\n`)
          .slice(0, -1)
          .map((answer) => answer.trim()),
      );
    });
  });
}
