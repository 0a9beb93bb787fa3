/*
 * touch.c - the floor for shmlab's memory lab: map SIZE MiB of shared
 * memory (MAP_SHARED|MAP_ANONYMOUS, optionally MAP_HUGETLB with 2 MiB
 * pages), memset every byte to zero once, and report how long that first
 * touch took. `make bench-memory` alternates it with `shmlab memory` so both
 * see the same machine state.
 *
 * usage: touch MIB [huge]
 * prints: touch_ms=... gib_per_s=...
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s MIB [huge]\n", argv[0]);
		return 2;
	}
	size_t len = (size_t)atol(argv[1]) << 20;
	int flags = MAP_SHARED | MAP_ANONYMOUS;
	if (argc > 2 && strcmp(argv[2], "huge") == 0)
		flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	double start = seconds();
	memset(p, 0, len);
	double took = seconds() - start;
	printf("touch_ms=%.1f gib_per_s=%.2f\n", took * 1e3, len / took / (1 << 30));
	munmap(p, len);
	return 0;
}
