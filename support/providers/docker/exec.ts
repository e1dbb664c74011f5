/** Running a command in a container and collecting its output and exit code, like `docker exec`. */
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';

export interface ExecResult { stdout: string; stderr: string; exitCode: number }

export async function execInContainer(docker: Docker, containerId: string, cmd: string[]): Promise<ExecResult> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough(); const err = new PassThrough();
  const outChunks: Buffer[] = []; const errChunks: Buffer[] = [];
  out.on('data', (b: Buffer) => outChunks.push(b));
  err.on('data', (b: Buffer) => errChunks.push(b));
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', reject);
  });
  // The stream can end a moment before the engine records the exit code.
  let info = await exec.inspect();
  for (let i = 0; i < 100 && (info.Running || info.ExitCode === null); i++) {
    await new Promise((r) => setTimeout(r, 20));
    info = await exec.inspect();
  }
  return {
    stdout: Buffer.concat(outChunks).toString('utf8'),
    stderr: Buffer.concat(errChunks).toString('utf8'),
    exitCode: info.ExitCode ?? -1,
  };
}
