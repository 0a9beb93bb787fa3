/* Lost updates: 4 processes add 1 to one int in MAP_SHARED|MAP_ANONYMOUS memory
 * 1000 times each, with no lock: the final count often falls short of 4000 (CPUs permitting).
 * Build and run: cc -O2 -Wall -o mmap_fork mmap_fork.c && ./mmap_fork */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	enum { N = 4, ITERS = 1000 };
	volatile int *p = mmap(NULL, 2 * sizeof(int), PROT_READ | PROT_WRITE,	/* p[0] counter, */
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);	/* p[1] children ready */
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	int failed = 0, status;
	for (int i = 0; i < N && !failed; i++) {
		pid_t pid = fork();
		if (pid < 0) { perror("fork"); failed = 1; p[1] = N; }	/* release the others */
		if (pid == 0) {
			__atomic_add_fetch(&p[1], 1, __ATOMIC_SEQ_CST);	/* 1000 rounds take a microsecond: */
			while (p[1] < N) ;	/* start together, or they never overlap */
			for (int j = 0; j < ITERS; j++) { int c = *p; *p = c + 1; }
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status)) failed = 1;
	if (!failed) printf("final %d of %d\n", p[0], N * ITERS);
	if (munmap((void *)p, 2 * sizeof(int)) < 0) { perror("munmap"); return 1; }
	return failed;
}
