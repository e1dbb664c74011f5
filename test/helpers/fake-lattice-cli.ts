/**
 * A stand-in `lattice` binary: a small sh script in a temp folder. It records its arguments
 * (one per line) in `argsFile` and behaves according to FAKE_LATTICE_MODE:
 * ok (streams a few lines, exits 0), slow (waits until the caller has seen its first line), fail (30 numbered lines, exit 3), hang (a line, then waits on
 * a background sleep whose pid goes to `pidFile`), secrets (prints secret-looking lines). `--version` prints `lattice 0.1.0-fake`.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeLatticeCli {
  cli: string;
  dir: string;
  argsFile: string;
  pidFile: string;
}

const SCRIPT = `#!/bin/sh
dir=$(dirname "$0")
: > "$dir/args"
for a in "$@"; do printf '%s\\n' "$a" >> "$dir/args"; done
if [ "$1" = "--version" ]; then echo "lattice 0.1.0-fake"; exit 0; fi
case "\${FAKE_LATTICE_MODE:-ok}" in
  ok)
    echo "Creating bootstrap cluster lattice-bootstrap"
    echo "warning: docker is slow" >&2
    echo "Waiting for phase Pivoting"
    printf 'Done without newline'
    exit 0 ;;
  slow)
    # prints "second" only after the caller saw "first" and created the file "$dir/seen"
    echo "first"
    i=0; while [ ! -e "$dir/seen" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
    if [ -e "$dir/seen" ]; then echo "second"; exit 0; fi
    echo "first line was not delivered while running" >&2; exit 1 ;;
  fail)
    i=1; while [ $i -le 30 ]; do echo "step $i"; i=$((i+1)); done
    echo "error: CAPI cluster never became ready" >&2
    exit 3 ;;
  hang)
    echo "waiting for machines"
    sleep 30 &
    echo $! > "$dir/pid"
    wait
    exit 0 ;;
  secrets)
    echo "Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9.payload.sig"
    echo "    token: k8s-token-0123456789"
    echo "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB"
    echo "password=hunter2hunter2"
    echo "-----BEGIN RSA PRIVATE KEY-----"
    echo "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw"
    echo "7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFc"
    echo "-----END RSA PRIVATE KEY-----"
    echo "registry token is $GHCR_TOKEN and auth $(printf '%s' "$GHCR_USER:$GHCR_TOKEN" | base64)"
    echo "aws key AKIAIOSFODNN7EXAMPLE secret $AWS_SECRET_ACCESS_KEY"
    echo "image ghcr.io/evan-hines-js/lattice@sha256:0f3e4c5d6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f"
    exit 0 ;;
esac
`;

export async function makeFakeLatticeCli(t: { after: (fn: () => Promise<void>) => void }): Promise<FakeLatticeCli> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-lattice-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cli = join(dir, 'lattice');
  await writeFile(cli, SCRIPT);
  await chmod(cli, 0o755);
  return { cli, dir, argsFile: join(dir, 'args'), pidFile: join(dir, 'pid') };
}
