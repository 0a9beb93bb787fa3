/* IPC namespaces: a child that unshare(CLONE_NEWIPC)s cannot find the parent's keyed segment (ENOENT);
 * that unshare needs root. Build and run: cc -O2 -Wall -o unshare_ipc unshare_ipc.c && sudo ./unshare_ipc */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	(void)argc;	/* the key comes from this program's own file: one per user and checkout */
	setvbuf(stdout, NULL, _IOLBF, 0);	/* whole lines even into a pipe: the child _exits */
	key_t key = ftok(argv[0], 'N');
	if (key == -1) { perror("ftok"); return 1; }
	int id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600), status = 1;
	if (id < 0) { perror("shmget IPC_CREAT|IPC_EXCL"); return 1; }	/* EEXIST: not ours, kept */
	pid_t pid = fork();
	if (pid < 0) perror("fork");
	if (pid == 0) {
		if (unshare(CLONE_NEWIPC) < 0) {
			if (errno != EPERM) { perror("unshare(CLONE_NEWIPC)"); _exit(1); }
			printf("unshare(CLONE_NEWIPC) needs root or a user namespace: skipped\n");
			_exit(0);
		}
		int other = shmget(key, 0, 0), e = errno;
		printf("key 0x%08x is shmid %d in the parent's IPC namespace; in the new one shmget(key, 0, 0) gives %s\n",
		       (unsigned)key, id, other < 0 ? strerror(e) : "a segment (unexpected)");
		_exit(!(other < 0 && e == ENOENT));
	}
	if (pid > 0 && waitpid(pid, &status, 0) != pid) perror("waitpid");
	if (shmctl(id, IPC_RMID, NULL) < 0) { perror("shmctl IPC_RMID"); return 1; }
	return status != 0;
}
