/** `docker rm -f -v`, treating "already gone" and "removal already in progress" as done. */
import type Docker from 'dockerode';

export async function forceRemoveContainer(docker: Docker, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
  } catch (err) {
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode === 404) return;
    if (e.statusCode === 409 && /already in progress/i.test(e.message ?? '')) return;
    throw err;
  }
}
