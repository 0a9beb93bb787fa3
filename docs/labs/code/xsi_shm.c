/* System V shared memory: a key from ftok, a new segment (IPC_EXCL), a string
 * written by the parent and read by a child that attaches by shmid; then removal.
 * Build and run: cc -O2 -Wall -o xsi_shm xsi_shm.c && ./xsi_shm */
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	(void)argc;	/* the key comes from this program's own file: one per user and checkout */
	setvbuf(stdout, NULL, _IOLBF, 0);	/* whole lines even into a pipe: the child _exits */
	key_t key = ftok(argv[0], 'X');
	if (key == -1) { perror("ftok"); return 1; }
	printf("key 0x%08x from ftok(\"%s\", 'X')\n", (unsigned)key, argv[0]);
	int id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600), status = 1;
	/* EEXIST ("File exists"): someone else's segment, so not ours to remove */
	if (id < 0) { perror("shmget IPC_CREAT|IPC_EXCL"); return 1; }
	printf("shmid %d\n", id);
	char *s = shmat(id, NULL, 0);
	if (s == (void *)-1) perror("shmat");
	else strcpy(s, "hello from the parent");
	pid_t pid = s == (void *)-1 ? -2 : fork();
	if (pid == -1) perror("fork");
	if (pid == 0) {	/* the child attaches by shmid alone */
		char *c = shmat(id, NULL, SHM_RDONLY);
		if (c == (void *)-1) { perror("child shmat"); _exit(1); }
		printf("child read: \"%s\"\n", c);
		_exit(shmdt(c) < 0);
	}
	if (pid > 0 && waitpid(pid, &status, 0) != pid) perror("waitpid");
	if (s != (void *)-1 && shmdt(s) < 0) { perror("shmdt"); status = 1; }
	if (shmctl(id, IPC_RMID, NULL) < 0) { perror("shmctl IPC_RMID"); return 1; }
	return status != 0;
}
