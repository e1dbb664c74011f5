/**
 * A small C stand-in for the curl subset probe scripts use (`-s -S -f -o -w '%{http_code}'
 * --connect-timeout -m -X -H -I`, one http(s) URL), sent to the enforcement proxy as the pod. A
 * real curl costs ~40 ms of CPU per call on these machines (dynamic linking of 30 libraries); this
 * costs ~1 ms, which is what keeps 200 probing services within two cores. Anything outside the
 * subset is handed to the real curl through the shell shim (`curl-full`). Built once per machine
 * with the host's C compiler and cached; without one the shell shim is used directly.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = String.raw`
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char **orig_argv;
static const char *full;
static void fallback(void) { orig_argv[0] = (char *)full; execv(full, orig_argv); perror("curl"); exit(2); }

static long long now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000; }

static void b64(const char *in, char *out) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t n = strlen(in), i, o = 0;
  for (i = 0; i + 2 < n; i += 3) { unsigned v = ((unsigned char)in[i] << 16) | ((unsigned char)in[i+1] << 8) | (unsigned char)in[i+2];
    out[o++] = t[v >> 18]; out[o++] = t[(v >> 12) & 63]; out[o++] = t[(v >> 6) & 63]; out[o++] = t[v & 63]; }
  if (n - i == 1) { unsigned v = (unsigned char)in[i] << 16; out[o++] = t[v >> 18]; out[o++] = t[(v >> 12) & 63]; out[o++] = '='; out[o++] = '='; }
  else if (n - i == 2) { unsigned v = ((unsigned char)in[i] << 16) | ((unsigned char)in[i+1] << 8); out[o++] = t[v >> 18]; out[o++] = t[(v >> 12) & 63]; out[o++] = t[(v >> 6) & 63]; out[o++] = '='; }
  out[o] = 0;
}

static int silent, show_error, fail_on_error, head;
static void die(int code, const char *msg, const char *wfmt, int http) {
  if (wfmt) {
    for (const char *p = wfmt; *p; p++) {
      if (p[0] == '%' && strncmp(p, "%{http_code}", 12) == 0) { printf("%03d", http); p += 11; }
      else if (p[0] == '%' && strncmp(p, "%{response_code}", 16) == 0) { printf("%03d", http); p += 15; }
      else if (p[0] == '\\' && p[1] == 'n') { putchar('\n'); p++; }
      else if (p[0] == '\\' && p[1] == 't') { putchar('\t'); p++; }
      else putchar(*p);
    }
    fflush(stdout);
  }
  if (code && msg && (!silent || show_error)) fprintf(stderr, "curl: (%d) %s\n", code, msg);
  exit(code);
}

int main(int argc, char **argv) {
  orig_argv = argv;
  full = getenv("LATTICE_SIM_CURL_FULL");
  if (!full) full = "/.lattice-sim/bin/curl-full";
  const char *out = NULL, *wfmt = NULL, *url = NULL, *method = NULL;
  double connect_to = 0, max_to = 0;
  char headers[4096] = "";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || a[1] == 0) { if (url) fallback(); url = a; continue; }
    if (a[1] == '-') {
      const char *n = a + 2;
      if (!strcmp(n, "silent")) silent = 1;
      else if (!strcmp(n, "show-error")) show_error = 1;
      else if (!strcmp(n, "fail")) fail_on_error = 1;
      else if (!strcmp(n, "insecure")) ;
      else if (!strcmp(n, "head")) head = 1;
      else if (i + 1 < argc && !strcmp(n, "output")) out = argv[++i];
      else if (i + 1 < argc && !strcmp(n, "write-out")) wfmt = argv[++i];
      else if (i + 1 < argc && !strcmp(n, "connect-timeout")) connect_to = atof(argv[++i]);
      else if (i + 1 < argc && !strcmp(n, "max-time")) max_to = atof(argv[++i]);
      else if (i + 1 < argc && !strcmp(n, "request")) method = argv[++i];
      else if (i + 1 < argc && !strcmp(n, "header")) { strncat(headers, argv[++i], sizeof headers - strlen(headers) - 3); strcat(headers, "\r\n"); }
      else fallback();
      continue;
    }
    for (const char *c = a + 1; *c; c++) {
      const char *val = NULL;
      switch (*c) {
        case 's': silent = 1; break;
        case 'S': show_error = 1; break;
        case 'f': fail_on_error = 1; break;
        case 'k': break;
        case 'I': head = 1; break;
        case 'o': case 'w': case 'm': case 'X': case 'H':
          if (c[1]) val = c + 1; else if (i + 1 < argc) val = argv[++i]; else fallback();
          if (*c == 'o') out = val; else if (*c == 'w') wfmt = val; else if (*c == 'm') max_to = atof(val);
          else if (*c == 'X') method = val;
          else { strncat(headers, val, sizeof headers - strlen(headers) - 3); strcat(headers, "\r\n"); }
          goto next;
        default: fallback();
      }
    }
    next:;
  }
  if (!url) fallback();
  char host[512], path[2048] = "/";
  int port;
  const char *rest;
  if (!strncmp(url, "http://", 7)) { rest = url + 7; port = 80; }
  else if (!strncmp(url, "https://", 8)) { rest = url + 8; port = 443; }
  else fallback();
  size_t hl = strcspn(rest, "/?#");
  if (hl >= sizeof host) fallback();
  memcpy(host, rest, hl); host[hl] = 0;
  if (rest[hl] == '/') snprintf(path, sizeof path, "%s", rest + hl);
  else if (rest[hl] == '?') snprintf(path, sizeof path, "/%s", rest + hl);
  char *colon = strrchr(host, ':');
  if (colon) { port = atoi(colon + 1); *colon = 0; }
  char *hash = strchr(path, '#'); if (hash) *hash = 0;

  const char *proxy = getenv("LATTICE_SIM_PROXY"), *token = getenv("LATTICE_SIM_POD_TOKEN");
  if (!proxy || !token) die(5, "Could not resolve proxy: LATTICE_SIM_PROXY", wfmt, 0);
  char paddr[64]; snprintf(paddr, sizeof paddr, "%s", proxy);
  char *pc = strrchr(paddr, ':'); if (!pc) die(5, "Could not resolve proxy", wfmt, 0);
  *pc = 0;
  struct sockaddr_in sa; memset(&sa, 0, sizeof sa); sa.sin_family = AF_INET; sa.sin_port = htons(atoi(pc + 1));
  if (inet_pton(AF_INET, paddr, &sa.sin_addr) != 1) die(5, "Could not resolve proxy", wfmt, 0);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) die(7, "Failed to connect to proxy", wfmt, 0);

  char cred[256], auth[400];
  snprintf(cred, sizeof cred, "%s:x", token); b64(cred, auth);
  char req[8192];
  const char *m = method ? method : head ? "HEAD" : "GET";
  /* A dropped connection costs the caller its connect timeout, as a real SYN drop would. */
  if (connect_to > 0) { char ct[64]; snprintf(ct, sizeof ct, "X-Lattice-Sim-Connect-Timeout: %g\r\n", connect_to); strncat(headers, ct, sizeof headers - strlen(headers) - 1); }
  char hosthdr[600];
  if (port == 80) snprintf(hosthdr, sizeof hosthdr, "%s", host); else snprintf(hosthdr, sizeof hosthdr, "%s:%d", host, port);
  int n = snprintf(req, sizeof req, "%s http://%s:%d%s HTTP/1.1\r\nHost: %s\r\nProxy-Authorization: Basic %s\r\nUser-Agent: curl/8.14.1\r\nAccept: */*\r\n%sConnection: close\r\n\r\n",
    m, host, port, path, hosthdr, auth, headers);
  if (n <= 0 || n >= (int)sizeof req || write(fd, req, n) != n) die(55, "Failed sending data to the peer", wfmt, 0);

  double limit = max_to > 0 ? max_to : 0;
  long long deadline = limit > 0 ? now_ms() + (long long)(limit * 1000) : 0;
  FILE *dst = NULL;
  char buf[16384], hdr[16384]; size_t hlen = 0; int in_body = 0, code = 0;
  for (;;) {
    if (deadline) {
      long long left = deadline - now_ms();
      if (left <= 0) die(28, "Operation timed out", wfmt, code);
      struct pollfd p = { fd, POLLIN, 0 };
      if (poll(&p, 1, (int)left) == 0) die(28, "Operation timed out", wfmt, code);
    }
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    size_t off = 0;
    if (!in_body) {
      size_t take = (size_t)r < sizeof hdr - 1 - hlen ? (size_t)r : sizeof hdr - 1 - hlen;
      memcpy(hdr + hlen, buf, take); hlen += take; hdr[hlen] = 0;
      char *end = strstr(hdr, "\r\n\r\n");
      if (!end) continue;
      in_body = 1;
      sscanf(hdr, "HTTP/%*s %d", &code);
      size_t body_in_hdr = hlen - (size_t)(end + 4 - hdr);
      off = (size_t)r - body_in_hdr;
      if (fail_on_error && code >= 400) { close(fd); die(22, "The requested URL returned error", wfmt, code); }
      if (out) { if (!(dst = fopen(out, "w"))) die(23, "Failed writing body", wfmt, code); }
      else dst = stdout;
    }
    if (dst && (size_t)r > off && !head) fwrite(buf + off, 1, (size_t)r - off, dst);
  }
  close(fd);
  if (dst && dst != stdout) fclose(dst);
  if (!in_body) die(52, "Empty reply from server", wfmt, 0);
  fflush(stdout);
  die(0, NULL, wfmt, code);
  return 0;
}
`;

let built: string | null | undefined;

/** Path of the compiled stand-in (cached per source under the temp dir), or null without a C compiler. */
export function fastCurlBinary(): string | null {
  if (built !== undefined) return built;
  if (process.env.LATTICE_SIM_REAL_CURL === '1') { built = null; return built; }
  const hash = createHash('sha256').update(SOURCE).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `lattice-sim-curl-${hash}`);
  const bin = join(dir, 'curl');
  if (existsSync(bin)) { built = bin; return built; }
  mkdirSync(dir, { recursive: true });
  const src = join(dir, `curl-${process.pid}.c`);
  const tmpBin = join(dir, `curl-${process.pid}.tmp`);
  writeFileSync(src, SOURCE);
  for (const cc of ['cc', 'gcc', 'clang']) {
    for (const flags of [['-static'], []]) {
      const r = spawnSync(cc, ['-O2', ...flags, '-o', tmpBin, src], { encoding: 'utf8', timeout: 60_000 });
      if (r.status === 0) {
        renameSync(tmpBin, bin);
        rmSync(src, { force: true });
        built = bin;
        return built;
      }
    }
  }
  rmSync(src, { force: true });
  built = null;
  return built;
}

/** Puts the stand-in at `<shimDir>/curl` (the shell shim becomes `curl-full`); false when unavailable. */
export function installFastCurl(shimDir: string): boolean {
  const bin = fastCurlBinary();
  if (!bin) return false;
  copyFileSync(bin, join(shimDir, 'curl'));
  return true;
}
