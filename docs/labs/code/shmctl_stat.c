/* IPC_RMID on an attached segment only marks it: IPC_STAT by shmid still works and shows
 * SHM_DEST and one attach; the segment goes at the last shmdt, and IPC_STAT then fails.
 * Build and run: cc -O2 -Wall -o shmctl_stat shmctl_stat.c && ./shmctl_stat */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>

int main(void)
{
	struct shmid_ds ds;
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	if (id < 0) { perror("shmget"); return 1; }
	void *p = shmat(id, NULL, 0);
	if (p == (void *)-1) { perror("shmat"); shmctl(id, IPC_RMID, NULL); return 1; }
	printf("shmid %d attached at %p\n", id, p);
	if (shmctl(id, IPC_RMID, NULL) < 0) { perror("shmctl IPC_RMID"); shmdt(p); return 1; }
	printf("IPC_RMID while attached: accepted\n");
	if (shmctl(id, IPC_STAT, &ds) < 0) { perror("shmctl IPC_STAT"); shmdt(p); return 1; }
	printf("IPC_STAT: mode 0%o, SHM_DEST %s, shm_nattch %lu\n", (unsigned)ds.shm_perm.mode,
	       ds.shm_perm.mode & SHM_DEST ? "set" : "not set", (unsigned long)ds.shm_nattch);
	if (shmdt(p) < 0) { perror("shmdt"); return 1; }
	printf("shmdt: the last attach is gone\n");
	if (shmctl(id, IPC_STAT, &ds) == 0 || errno != EINVAL) {
		fprintf(stderr, "IPC_STAT after the last shmdt: expected EINVAL\n");
		return 1;
	}
	printf("IPC_STAT now: %s (the segment is gone)\n", strerror(errno));
	return !(ds.shm_perm.mode & SHM_DEST) || ds.shm_nattch != 1;
}
