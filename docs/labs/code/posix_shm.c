/* POSIX shared memory: shm_open a new /dev/shm object, size it, map it shared;
 * a child writes into it, the parent reads after wait; then munmap, shm_unlink.
 * Build and run: cc -O2 -Wall -o posix_shm posix_shm.c -lrt && ./posix_shm */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAIL(what) do { perror(what); shm_unlink(name); return 1; } while (0)

int main(void)
{
	char name[64];
	snprintf(name, sizeof name, "/shmlab-code-%d", (int)getpid());
	int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0) { perror("shm_open"); return 1; }
	if (ftruncate(fd, 4096) < 0) FAIL("ftruncate");
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) FAIL("mmap");
	if (close(fd) < 0) FAIL("close");	/* the mapping keeps the object open */
	pid_t pid = fork();
	if (pid < 0) FAIL("fork");
	if (pid == 0) { strcpy(p, "written by the child"); _exit(0); }
	int status;
	if (waitpid(pid, &status, 0) != pid) FAIL("waitpid");
	printf("/dev/shm%s: parent read \"%s\"\n", name, p);
	if (munmap(p, 4096) < 0) FAIL("munmap");
	if (shm_unlink(name) < 0) { perror("shm_unlink"); return 1; }
	return !(WIFEXITED(status) && !WEXITSTATUS(status));
}
