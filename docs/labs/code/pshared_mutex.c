/* 4 children do 1000 increments each under one robust, process-shared pthread mutex in MAP_SHARED
 * memory: none is lost. Build, run: cc -O2 -Wall -o pshared_mutex pshared_mutex.c -lpthread && ./pshared_mutex */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	enum { N = 4, ITERS = 1000 };
	struct { pthread_mutex_t m; int count; } *s =
		mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED) { perror("mmap"); return 1; }
	pthread_mutexattr_t a;	/* pthread functions return an error number: we put it in errno */
	if ((errno = pthread_mutexattr_init(&a)) || (errno = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED)) ||
	    (errno = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST)) || (errno = pthread_mutex_init(&s->m, &a)))
		{ perror("pthread mutex setup"); munmap(s, sizeof *s); return 1; }
	int failed = 0, status, count;
	for (int i = 0; i < N && !failed; i++) {
		pid_t pid = fork();
		if (pid < 0) { perror("fork"); failed = 1; }
		for (int j = 0; pid == 0; j++) {	/* robust: a dead holder gives EOWNERDEAD, not a hang */
			if (j == ITERS) _exit(0);
			if ((errno = pthread_mutex_lock(&s->m))) { perror("pthread_mutex_lock"); _exit(1); }
			s->count++;
			if ((errno = pthread_mutex_unlock(&s->m))) { perror("pthread_mutex_unlock"); _exit(1); }
		}
	}
	while (wait(&status) > 0) failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	printf("final %d of %d\n", count = s->count, N * ITERS);
	if (munmap(s, sizeof *s) < 0) { perror("munmap"); return 1; }
	return failed || count != N * ITERS;
}
