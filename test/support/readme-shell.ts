import { spawn } from 'node:child_process';

/** A fenced `sh` block of a Markdown file, with the heading it sits under. */
export interface ShellBlock {
  heading: string;
  script: string;
  /** The URL each `curl` command of the block asks, in order. */
  curlUrls: string[];
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
      const curlUrls = [...script.matchAll(/^\s*curl\b[^\n]*?(https?:\/\/[^\s'"]+)/gm)].map((match) => match[1]!);
      blocks.push({ heading, script, curlUrls });
      open = null;
    } else open?.push(line);
  }
  return blocks;
}

/**
 * Runs `script` in one bash, as a reader pasting it into a shell would, and returns each `curl`
 * command's output, in order: a `curl` function wraps the real one to mark where each answer ends.
 */
export function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const marker = `--- end of answer ${process.pid} ---`;
  const wrapped = `set -e\ncurl() { command curl "$@"; printf '\\n%s\\n' '${marker}'; }\n${script}\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', wrapped], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the commands exited ${code}:\n${stderr}\n${stdout}`));
      resolve(
        stdout
          .split(`${marker}\n`)
          .slice(0, -1)
          .map((answer) => answer.trim()),
      );
    });
  });
}
