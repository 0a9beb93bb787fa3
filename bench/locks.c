/*
 * locks.c - the C floor for `shmlab bench locks`: PROCS forked processes
 * each do OPS protected increments of a counter in a MAP_SHARED page, and
 * the parent times the whole from "go" to the last child reaped. What
 * shmlab adds on top of this loop is its own cost; what is left is the
 * lock's and the kernel's. `make bench-locks` runs both in one go.
 *
 * usage: locks METHOD PROCS OPS
 *   METHOD: none atomic mutex mutex-robust posix-sem sysv-sem flock fcntl ofd
 * prints: METHOD PROCS OPS NS_PER_OP FINAL EXPECTED
 *   NS_PER_OP = wall time / (PROCS * OPS). Exit status 0, 1 if a child
 *   failed or a real lock lost an update, 2 on bad usage or setup failure.
 *
 * One operation: lock; counter = counter + 1 (volatile load, then store);
 * unlock. "atomic" is one __atomic_fetch_add instead, "none" has no lock.
 * Everything the run creates (SysV semaphore set, lock file and its
 * directory) is removed before exit, also on SIGINT/SIGTERM/SIGHUP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum method { NONE, ATOMIC, MUTEX, MUTEX_ROBUST, POSIX_SEM, SYSV_SEM, FLOCK, FCNTL, OFD };

static const char *const method_names[] = {
	"none", "atomic", "mutex", "mutex-robust", "posix-sem", "sysv-sem", "flock", "fcntl", "ofd",
};
#define N_METHODS (sizeof(method_names) / sizeof(method_names[0]))

/* The counter and each control word sit on a cache line of their own, so
 * spinning on "go" or counting "ready" never shares a line with the
 * counter or the lock being measured. */
struct page {
	volatile uint64_t counter __attribute__((aligned(64)));
	volatile int go __attribute__((aligned(64)));
	int ready __attribute__((aligned(64)));
	pthread_mutex_t mutex __attribute__((aligned(64)));
	sem_t sem __attribute__((aligned(64)));
};

/* What exists and must go at the end; read by the signal handler too. */
static volatile sig_atomic_t semid = -1;
static char lockdir[] = "/tmp/shmlab-locks-XXXXXX";
static char lockfile[sizeof(lockdir) + 8];
static volatile sig_atomic_t have_dir, have_file;

static void cleanup(void)
{
	if (semid >= 0)
		semctl(semid, 0, IPC_RMID);
	semid = -1;
	if (have_file)
		unlink(lockfile);
	have_file = 0;
	if (have_dir)
		rmdir(lockdir);
	have_dir = 0;
}

/* semctl, unlink and rmdir are plain system calls: safe in a handler. The
 * children share the terminal's process group, so they get the signal too. */
static void on_signal(int sig)
{
	(void)sig;
	cleanup();
	_exit(130);
}

static void fatal(const char *what)
{
	perror(what);
	cleanup();
	exit(2);
}

static int is_file_lock(enum method m)
{
	return m == FLOCK || m == FCNTL || m == OFD;
}

static int lock_region(int fd, int cmd, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	int r;
	while ((r = fcntl(fd, cmd, &fl)) < 0 && errno == EINTR)
		;
	return r;
}

/* take() and give() are always inlined and child() calls them with a
 * constant method, so each method gets its own loop with no switch in it
 * (as shmlab's generic loop is compiled once per lock type). */
static inline __attribute__((always_inline)) int take(enum method m, struct page *p, int fd)
{
	struct sembuf down = { .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO };
	int r;

	switch (m) {
	case MUTEX:
		return pthread_mutex_lock(&p->mutex);
	case MUTEX_ROBUST:
		r = pthread_mutex_lock(&p->mutex);
		/* Only if a holder died, which this loop never does; repair anyway. */
		if (r == EOWNERDEAD)
			r = pthread_mutex_consistent(&p->mutex);
		return r;
	case POSIX_SEM:
		while ((r = sem_wait(&p->sem)) < 0 && errno == EINTR)
			;
		return r;
	case SYSV_SEM:
		while ((r = semop(semid, &down, 1)) < 0 && errno == EINTR)
			;
		return r;
	case FLOCK:
		while ((r = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		return r;
	case FCNTL:
		return lock_region(fd, F_SETLKW, F_WRLCK);
	case OFD:
		return lock_region(fd, F_OFD_SETLKW, F_WRLCK);
	default:
		return 0;
	}
}

static inline __attribute__((always_inline)) int give(enum method m, struct page *p, int fd)
{
	struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO };

	switch (m) {
	case MUTEX:
	case MUTEX_ROBUST:
		return pthread_mutex_unlock(&p->mutex);
	case POSIX_SEM:
		return sem_post(&p->sem);
	case SYSV_SEM:
		return semop(semid, &up, 1);
	case FLOCK:
		return flock(fd, LOCK_UN);
	case FCNTL:
		return lock_region(fd, F_SETLK, F_UNLCK);
	case OFD:
		return lock_region(fd, F_OFD_SETLK, F_UNLCK);
	default:
		return 0;
	}
}

/* One child: open its own descriptor where the lock belongs to the open
 * file description (flock, ofd), report ready, wait for go, then hammer.
 * A child whose setup failed still reports ready, so the parent never
 * waits for it forever, and then exits non-zero. */
static int child(enum method m, struct page *p, long ops, int inherited_fd)
{
	int fd = inherited_fd;
	if (m == FLOCK || m == OFD)
		fd = open(lockfile, O_RDWR | O_CLOEXEC);
	__atomic_fetch_add(&p->ready, 1, __ATOMIC_SEQ_CST);
	if (is_file_lock(m) && fd < 0)
		return 3;
	while (!p->go)
		sched_yield();

/* The measured loop for one method M (a constant). */
#define HAMMER(M)                                          \
	do {                                               \
		for (long i = 0; i < ops; i++) {           \
			if (take(M, p, fd) != 0)           \
				return 4;                  \
			p->counter = p->counter + 1;       \
			if (give(M, p, fd) != 0)           \
				return 4;                  \
		}                                          \
		return 0;                                  \
	} while (0)

	switch (m) {
	case ATOMIC:
		for (long i = 0; i < ops; i++)
			__atomic_fetch_add(&p->counter, 1, __ATOMIC_SEQ_CST);
		return 0;
	case NONE: HAMMER(NONE);
	case MUTEX: HAMMER(MUTEX);
	case MUTEX_ROBUST: HAMMER(MUTEX_ROBUST);
	case POSIX_SEM: HAMMER(POSIX_SEM);
	case SYSV_SEM: HAMMER(SYSV_SEM);
	case FLOCK: HAMMER(FLOCK);
	case FCNTL: HAMMER(FCNTL);
	case OFD: HAMMER(OFD);
	}
	return 2;
#undef HAMMER
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s METHOD PROCS OPS\n", argv[0]);
		return 2;
	}
	enum method m = N_METHODS;
	for (unsigned i = 0; i < N_METHODS; i++)
		if (!strcmp(argv[1], method_names[i]))
			m = (enum method)i;
	int procs = atoi(argv[2]);
	long ops = atol(argv[3]);
	if (m == N_METHODS || procs < 1 || ops < 1) {
		fprintf(stderr, "usage: %s METHOD PROCS OPS  (METHOD: none atomic mutex mutex-robust "
				"posix-sem sysv-sem flock fcntl ofd; PROCS, OPS >= 1)\n", argv[0]);
		return 2;
	}

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	struct page *p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap");

	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	if (m == MUTEX_ROBUST)
		pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	errno = pthread_mutex_init(&p->mutex, &attr);
	pthread_mutexattr_destroy(&attr);
	if (errno)
		fatal("pthread_mutex_init");
	if (sem_init(&p->sem, 1, 1) < 0)
		fatal("sem_init");

	/* Kernel objects only for the methods that use them: nothing to leak
	 * otherwise. Block the signals while an object is half made, so the
	 * handler always knows what exists. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	int fd = -1;
	if (m == SYSV_SEM) {
		semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
		if (semid < 0)
			fatal("semget");
		if (semctl(semid, 0, SETVAL, 1) < 0)
			fatal("semctl SETVAL");
	}
	if (is_file_lock(m)) {
		if (!mkdtemp(lockdir))
			fatal("mkdtemp");
		have_dir = 1;
		snprintf(lockfile, sizeof(lockfile), "%s/lock", lockdir);
		fd = open(lockfile, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			fatal("open lock file");
		have_file = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);

	pid_t parent = getpid();
	pid_t *pids = calloc((size_t)procs, sizeof(*pids));
	if (!pids)
		fatal("calloc");
	for (int i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			int saved = errno;
			for (int j = 0; j < i; j++)
				kill(pids[j], SIGKILL);
			while (wait(NULL) > 0)
				;
			errno = saved;
			fatal("fork");
		}
		if (pids[i] == 0) {
			/* The child must not remove what the parent still uses, and
			 * must not outlive a parent killed before "go" (it would
			 * spin on the flag forever). */
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(5);
			_exit(child(m, p, ops, m == FCNTL ? fd : -1));
		}
	}

	while (__atomic_load_n(&p->ready, __ATOMIC_SEQ_CST) < procs)
		usleep(100);
	double start = seconds();
	p->go = 1;
	int failed = 0;
	for (int i = 0; i < procs; i++) {
		int status;
		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	double elapsed = seconds() - start;

	unsigned long long expected = (unsigned long long)procs * (unsigned long long)ops;
	unsigned long long final = p->counter;
	printf("%s %d %ld %.1f %llu %llu\n", method_names[m], procs, ops, elapsed * 1e9 / (double)expected, final,
	       expected);

	if (fd >= 0)
		close(fd);
	cleanup();
	pthread_mutex_destroy(&p->mutex);
	sem_destroy(&p->sem);
	munmap(p, sizeof(*p));
	free(pids);

	if (failed) {
		fprintf(stderr, "%s: %d child(ren) failed\n", method_names[m], failed);
		return 1;
	}
	if (m != NONE && final != expected) {
		fprintf(stderr, "%s: lost %llu update(s) under a lock\n", method_names[m], expected - final);
		return 1;
	}
	return 0;
}
