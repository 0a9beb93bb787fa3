/* A 2 MiB MAP_HUGETLB shared mapping: it takes a page from the huge page pool on first
 * touch, so HugePages_Free in /proc/meminfo drops by one; no page reserved is a lesson too.
 * Build and run: cc -O2 -Wall -o hugepages hugepages.c && ./hugepages */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static long hugepages_free(void)	/* -1 if /proc/meminfo has no such line */
{
	char line[128];
	long n = -1;
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f) { perror("/proc/meminfo"); return -1; }
	while (n < 0 && fgets(line, sizeof line, f)) sscanf(line, "HugePages_Free: %ld", &n);
	fclose(f);
	return n;
}

int main(void)
{
	size_t len = 2 << 20;
	long before = hugepages_free();
	if (before < 0) { fprintf(stderr, "no HugePages_Free in /proc/meminfo\n"); return 1; }
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED && errno == ENOMEM) {	/* expected when no page is reserved */
		printf("no free huge pages (HugePages_Free is %ld): reserve one with `echo 1 > /proc/sys/vm/nr_hugepages` as root\n", before);
		return 0;
	}
	if (p == MAP_FAILED) { perror("mmap MAP_HUGETLB"); return 1; }
	memset(p, 1, len);
	printf("HugePages_Free %ld before the first touch, %ld after\n", before, hugepages_free());
	if (munmap(p, len) < 0) { perror("munmap"); return 1; }
	return 0;
}
