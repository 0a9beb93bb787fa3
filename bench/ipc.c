// The C floor for `shmlab bench ipc`: the same ping-pong, in as little C as
// it takes. Side A sends a message of SIZE bytes, side B checks every byte
// and sends it back; one-way = elapsed / (2 * round trips). Transports:
// pipe, unix-stream (socketpair), and a one-slot mailbox in a shared
// mapping (header word, then the message words) woken by spinning or by
// futex, as shmlab's ring does in latency mode. Like shmlab, it times
// batches of BATCH round trips and prints the median batch, so that both
// sides report the same statistic (a VM's slow wake-ups skew a mean).
// usage: ipc pipe|unix-stream|spin|futex SIZE ROUND_TRIPS
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 20
static double samples[1 << 20];
static int by_value(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }

// The pattern of message seq, word i: the same as shmlab's src/ipc/pattern.rs.
static uint64_t word(uint64_t seq, uint64_t i) { return (seq + 1) * 0x9E3779B97F4A7C15ull ^ i * 0xD1B54A32D192ED03ull; }
static void fill(uint64_t *w, size_t n, uint64_t seq) { for (size_t i = 0; i < n; i++) w[i] = word(seq, i); }
static int check(const uint64_t *w, size_t n, uint64_t seq) { int ok = 1; for (size_t i = 0; i < n; i++) ok &= w[i] == word(seq, i); return ok; }

static void io(int fd, void *buf, size_t len, int writing) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = writing ? write(fd, (char *)buf + done, len - done) : read(fd, (char *)buf + done, len - done);
        if (n <= 0) { perror("io"); _exit(1); }
        done += n;
    }
}

static void fwait(_Atomic uint64_t *a, uint64_t v) { while (atomic_load(a) == v) syscall(SYS_futex, a, FUTEX_WAIT, (uint32_t)v, NULL, NULL, 0); }
static void fwake(_Atomic uint64_t *a) { syscall(SYS_futex, a, FUTEX_WAKE, 1, NULL, NULL, 0); }

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: ipc pipe|unix-stream|spin|futex SIZE ROUND_TRIPS\n"); return 2; }
    const char *t = argv[1]; size_t size = atol(argv[2]); long n = atol(argv[3]);
    size_t words = (size + 7) / 8;
    uint64_t *buf = calloc(words, 8);
    long bad = 0;
    n = (n / BATCH) * BATCH;
    if (n < BATCH || n / BATCH > (long)(sizeof samples / sizeof samples[0])) { fprintf(stderr, "ROUND_TRIPS: %d to %d\n", BATCH, BATCH << 20); return 2; }
    if (!strcmp(t, "pipe") || !strcmp(t, "unix-stream")) {
        int ab[2], ba[2];
        if (!strcmp(t, "pipe")) { if (pipe(ab) || pipe(ba)) return 1; }
        else { int s[2]; if (socketpair(AF_UNIX, SOCK_STREAM, 0, s)) return 1; ab[0] = s[1]; ab[1] = s[0]; ba[0] = s[0]; ba[1] = s[1]; }
        if (!fork()) {
            for (long i = 0; i < n; i++) { io(ab[0], buf, size, 0); bad += !check(buf, size / 8, i); fill(buf, words, i); io(ba[1], buf, size, 1); }
            _exit(bad != 0);
        }
        for (long b = 0; b < n / BATCH; b++) {
            double start = now();
            for (long i = b * BATCH; i < (b + 1) * BATCH; i++) { fill(buf, words, i); io(ab[1], buf, size, 1); io(ba[0], buf, size, 0); bad += !check(buf, size / 8, i); }
            samples[b] = (now() - start) / (2.0 * BATCH);
        }
    } else {
        int fut = !strcmp(t, "futex");
        _Atomic uint64_t *m = mmap(NULL, 4096 + words * 8, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        _Atomic uint64_t *h = m + 32, *d = h + 1;
        // Message k (A's even, B's odd) is published as header k + 1.
        if (!fork()) {
            for (long i = 0; i < n; i++) {
                uint64_t k = 2 * i;
                if (fut) fwait(h, k); else while (atomic_load_explicit(h, memory_order_acquire) != k + 1);
                for (size_t w = 0; w < words; w++) buf[w] = atomic_load_explicit(d + w, memory_order_relaxed);
                bad += !check(buf, words, i);
                fill(buf, words, i);
                for (size_t w = 0; w < words; w++) atomic_store_explicit(d + w, buf[w], memory_order_relaxed);
                atomic_store_explicit(h, k + 2, fut ? memory_order_seq_cst : memory_order_release);
                if (fut) fwake(h);
            }
            _exit(bad != 0);
        }
        for (long b = 0; b < n / BATCH; b++) {
        double start = now();
        for (long i = b * BATCH; i < (b + 1) * BATCH; i++) {
            uint64_t k = 2 * i;
            fill(buf, words, i);
            for (size_t w = 0; w < words; w++) atomic_store_explicit(d + w, buf[w], memory_order_relaxed);
            atomic_store_explicit(h, k + 1, fut ? memory_order_seq_cst : memory_order_release);
            if (fut) { fwake(h); fwait(h, k + 1); } else while (atomic_load_explicit(h, memory_order_acquire) != k + 2);
            for (size_t w = 0; w < words; w++) buf[w] = atomic_load_explicit(d + w, memory_order_relaxed);
            bad += !check(buf, words, i);
        }
        samples[b] = (now() - start) / (2.0 * BATCH);
        }
    }
    int status = 0;
    wait(&status);
    if (bad || status) { fprintf(stderr, "corrupt messages\n"); return 1; }
    qsort(samples, n / BATCH, sizeof samples[0], by_value);
    printf("%s %zu %.1f\n", t, size, samples[n / BATCH / 2]);
    return 0;
}
