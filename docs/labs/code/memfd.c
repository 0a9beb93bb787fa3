/* memfd and seals: F_SEAL_WRITE is refused (EBUSY) while a writable shared
 * mapping exists; after munmap it is accepted, and write() then fails with EPERM.
 * Build and run: cc -O2 -Wall -o memfd memfd.c && ./memfd */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FAIL(what) do { perror(what); close(fd); return 1; } while (0)

int main(void)
{
	int fd = memfd_create("shmlab-code", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) { perror("memfd_create"); return 1; }
	if (ftruncate(fd, 4096) < 0) FAIL("ftruncate");
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) FAIL("mmap");
	strcpy(p, "sealed text");
	int busy = fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) < 0 && errno == EBUSY;
	printf("F_SEAL_WRITE while mapped: %s\n", busy ? strerror(EBUSY) : "not EBUSY (unexpected)");
	if (munmap(p, 4096) < 0) FAIL("munmap");
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) FAIL("F_ADD_SEALS");
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0) FAIL("F_GET_SEALS");
	printf("after munmap: seals 0x%x (SHRINK|GROW|WRITE)\n", (unsigned)seals);
	int eperm = write(fd, "x", 1) < 0 && errno == EPERM;
	printf("write(): %s\n", eperm ? strerror(EPERM) : "not EPERM (unexpected)");
	if (close(fd) < 0) { perror("close"); return 1; }	/* last reference: the memfd goes away */
	return !(busy && eperm);
}
