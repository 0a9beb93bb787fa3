# shmlab in English: memory, limits, huge pages, the page comparison and random access, tuning.
# Every message must exist in ../zh/memory.ftl with the same arguments (tested).

## memory: refusals before the run (src/experiment/memory.rs)
memory-cannot-read-meminfo = cannot read /proc/meminfo: { $error }
memory-size-zero = 0: a shared segment needs at least one byte; try 256MiB
memory-size-absurd = { $size } is more than 16 times this machine's memory and swap (MemTotal + SwapTotal = { $held }), far more than could ever be available: surely not what you meant; use a smaller { $param }
memory-size-beyond-machine = { $param } { $size } is more than this machine's memory and swap together (MemTotal { $total } + SwapTotal { $swap }), so it can never be available here; use a smaller { $param }, or a machine with more memory
memory-not-available = ⟨size⟩ { $size } needs { $needed } of new memory but only { $available } is available (MemAvailable, keeping { $margin } spare); use a smaller ⟨size⟩, or ⟨force⟩ if you really mean it
memory-fs-too-small-posix = ⟨backends⟩ { $backend }: { $dir } has { $free } free, less than ⟨size⟩ { $size }; use a smaller ⟨size⟩ or remount /dev/shm larger
memory-fs-too-small-file = ⟨backends⟩ { $backend }: { $dir } has { $free } free, less than ⟨size⟩ { $size }; use a smaller ⟨size⟩ or set TMPDIR to a larger file system
memory-hugetlb-eperm = SHM_HUGETLB needs CAP_IPC_LOCK or membership of vm.hugetlb_shm_group ({ $group }), which you lack: the kernel would say EPERM, pool or not; run as root, or add ⟨let_kernel_refuse⟩ to see it say so
memory-pool-short = { $size } with { $huge } pages needs { $pages } huge pages but { $free } are free and unreserved (the kernel would say ENOMEM); add ⟨reserve_hugepages⟩ (as root) or run `{ $command }`, or add ⟨let_kernel_refuse⟩ to see the kernel say it
memory-cgroup-throttle = past memory.high the kernel throttles the toucher to a crawl
memory-cgroup-oom = past the limit the kernel OOM-kills the toucher (exit 137)
memory-cgroup-refusal = ⟨size⟩ { $size } does not fit in memory cgroup { $cgroup } ({ $version }): its { $file } is { $limit } and { $charged } is charged already ({ $usage_file }, less file cache the kernel can drop), leaving { $room }, and shmlab needs { $needed } plus { $margin } spare; shared memory is charged to the cgroup of the process that first touches it and stays charged while the object exists, and { $consequence }; use a smaller ⟨size⟩, or raise { $file } of { $dir }, or run outside that cgroup (⟨force⟩ skips this check)

## memory: during the run
memory-holding = holding { $size } of { $backend } for { $seconds } s: look at `free -m` or `grep -E 'Shmem|HugePages' /proc/meminfo` now (Ctrl-C ends it)
memory-touch-space = { $hint }, or use a smaller ⟨size⟩
memory-touch-oom = the machine (or this cgroup) is out of memory; use a smaller ⟨size⟩
memory-touch-object = { $size } of a file in { $dir }, at offset { $offset }

## memory: huge page pools (src/kernel/hugepages.rs)
memory-not-a-page-size = { $text } is not a page size [possible values: none, 2M, 1G]
memory-no-huge-size = this kernel has no { $huge } huge pages ({ $dir } does not exist); use ⟨huge⟩ 2M or none
memory-cannot-open = cannot open { $path }: { $error }
memory-pool-holder = { " " }(pid { $pid })
memory-pool-busy-exclusive = another shmlab run{ $holder } is using or changing the { $huge } huge page pool right now; wait for it to finish and run again
memory-pool-busy-shared = another shmlab run{ $holder } is changing the { $huge } huge page pool right now; wait for it to finish and run again

## memory: sizes and parameters (src/size.rs, src/experiment/params.rs)
memory-size-not-a-size = { $text } is not a size: write a whole number with an optional unit, e.g. 2046MiB, 2GiB, 1G, 4096
memory-size-unknown-unit = { $text }: unknown unit { $unit }; use B, K/KiB, M/MiB, G/GiB, T/TiB (1024-based) or KB, MB, GB, TB
memory-size-too-large = { $text } is too large
memory-proj-id-zero = { $proj_id }: ftok uses only the low 8 bits, which are 0 here; pick a value whose low byte is not 0 (1..255)
memory-seconds = { $param } { $value }: give a number of seconds between { $least } and 1e9
memory-seconds-least-zero = 0
memory-seconds-least-ns = 1 ns

## memory: the tables (src/report/table/memory.rs)
memory-col-backend = backend
memory-col-phase = phase
memory-col-size = size
memory-col-create = create
memory-col-touch = touch
memory-col-faults = faults
memory-col-release = release
memory-deltas-title = Change since "before", MiB (HP columns: huge pages):
memory-costs-title = What each step cost (create, touch, release in ms; minor page faults of the touch):
memory-reading-intro = How to read this: `free*` (MemFree) moves by hundreds of MiB on its own: freed pages wait on the per-CPU page lists, which MemFree does not count (since Linux 6.7 the lists together may hold up to an eighth of a zone), and other processes allocate and free too; Shmem, Cached, the HugePages counters and the segment's own resident pages (`its pages`, from the smaps of its mapping) are the reliable ones.
memory-reading-small = With 4 KiB pages, creating { $size } allocates no page yet (only Committed_AS, the kernel's promise, grows); touching it moved Shmem by { $shmem } MiB, and `free`'s shared and buff/cache columns with it, because this shared memory is a file on a tmpfs (the kernel's internal one for SysV segments and anonymous MAP_SHARED, /dev/shm for POSIX objects) and its pages are page cache. Today's `free` (procps-ng ≥ 4.0.1) computes used = total − available, so used moved by { $used } MiB too; procps 3.3, the article's, computed total − free − buffers − cache, which gives { $used3 } MiB here: { $verdict }.
memory-reading-flat = flat, as the article's `used` stayed
memory-reading-lists = the per-CPU page lists changed by { $lists } MiB meanwhile
memory-reading-lists-unknown = other processes, reclaim
memory-reading-not-flat = not flat, because MemFree moved by { $own } MiB on its own during this run ({ $lists }; the segment's own pages, `its pages`, are all there), so this column is off by that much: run it again on a quiet machine to see it flat
memory-reading-mmap-file = mmap-file is the exception: its pages are page cache of the file's own file system (Cached { $cached } MiB, Shmem { $shmem } MiB here); they count as Shmem only if that file system is a tmpfs.
memory-reading-huge = With { $huge } huge pages, creation reserved { $reserved } pages (HugePages_Rsvd { $rsvd }) and touching consumed them (HugePages_Free { $free }, Rsvd back to { $rsvd_after }); Shmem moved by { $shmem } MiB and `free`'s used by only { $used } MiB (noise): huge pages come from a pool set aside in advance (vm.nr_hugepages), counted as used the moment the pool is raised, so touching them changes nothing in `free`, and they never appear in `shared`.
memory-reading-pool = Raising the pool by { $pages } pages ({ $size }) before the run already moved `free`: used { $used } MiB, available { $available } MiB (the pool plus the usual noise).
memory-reading-back = After release Shmem and the HugePages counters are back where they were: the object was removed and its pages freed (used, free and available move on their own by a few hundred MiB).
memory-reading-and = { " and " }
memory-reading-prefaulted = { $backends } was touched differently: its file system can fill up, and a write to a page it has no room for kills the writer with SIGBUS, so each 64 MiB chunk was first faulted in with MADV_POPULATE_WRITE (which reports a full file system as an error) and then written. That takes its faults in one system call per chunk instead of one trap per page, so its touch ms is lower and not comparable with the others'.
memory-reading-order = Touch times of a single run depend on order: on a virtual machine the first run to touch memory the hypervisor has not backed yet is slower (2 to 4 times on ours); `--compare-pages` warms up first.

## memory --compare-pages (src/experiment/compare_pages.rs, src/report/table/memory.rs)
pages-need-free-huge = needs { $pages } free 2 MiB huge pages, { $free } are free: add ⟨reserve_hugepages⟩ (as root)
pages-no-shmem-thp = this kernel has no shmem THP setting
pages-thp-setting = { $path } is { $value }; run as root (shmlab sets advise for the run) or set it to advise
pages-cannot-read = cannot read { $path }
pages-madvise-failed = madvise({ $advice }) failed: { $error }
pages-col-pages = pages
pages-col-size = size
pages-col-touch-ms = touch ms
pages-col-cold-touch-ms = cold touch ms
pages-col-minor-faults = minor faults
pages-col-teardown-ms = teardown ms
pages-col-huge-backed = huge-backed MiB
pages-col-note = note
pages-skipped = skipped: { $why }
pages-reading = Times are from the second of two runs; `cold touch` is the first, which on a virtual machine also pays for the hypervisor backing memory it has not backed yet. One fault per page: 4 KiB pages take 512 times as many faults as 2 MiB pages for the same size, and each fault is a trip into the kernel that allocates, zeroes and maps one page; with 2 MiB pages the same bytes are zeroed in 512 times fewer trips, so the faults, not the zeroing, are what huge pages save. Teardown frees 512 times fewer pages too.

## memory --compare-pages --access random (src/experiment/random_access.rs, src/report/table/random_access.rs)
pages-counter-failed = reading the counter failed: { $errno }
pages-col-working-set = working set
pages-col-ns-per-read = { $pages } ns/read
pages-col-dtlb-per-read = { $pages } dTLB miss/read
pages-col-page-tables = PageTables +KiB
pages-col-vm-pte = VmPTE +KiB
pages-random-title = Random 8-byte reads, each address depending on the read before (latency), { $reads } reads per working set:
pages-tables-title = Page tables the touch added (PageTables: the machine, VmPTE: this process):
pages-tlb-not-counted = TLB misses were not counted: { $why }.
pages-only-one-kind = Only one page kind could run, so there is nothing to compare: reserve huge pages (--reserve-hugepages as root) for the 2 MiB row.
pages-kind-2m = 2 MiB
pages-kind-thp = transparent huge
pages-random-tables = Touching { $size } with 4 KiB pages gave this process { $small } KiB more page tables (one 8-byte entry per page), with { $kind } pages { $huge } KiB.
pages-small-same = the TLB holds the translations of so small a set with either page size, so the page size hardly matters
pages-small-apart = { $ratio }× apart already, which is more than the TLB alone explains (caches, noise)
pages-large-gain = with 4 KiB pages nearly every read misses the TLB and the CPU walks four levels of page tables (on a virtual machine, the host's tables too); a 2 MiB page needs one TLB entry where 4 KiB pages need 512, so the walks are fewer and shorter
pages-large-none = no clear gain from huge pages here: the reads are dominated by cache misses, or this CPU's TLB reach or page-walk caches hide the difference
pages-random-reading = Over { $small_set }, a random read took { $small_ns } ns with 4 KiB pages and { $huge_ns } ns with { $kind } pages: { $small_verdict }. Over { $large_set }, { $large_small_ns } ns against { $large_huge_ns } ns ({ $ratio }×): { $large_verdict }.

## tuning: settings changed for a run (src/tuning/*.rs)
tuning-reserve-needs-root = ⟨reserve_hugepages⟩ needs root to raise the huge page pool; run as root, or ask root for `{ $command }`
tuning-cannot-write = cannot write { $value } to { $path }: { $error }
tuning-cannot-write-root = cannot write { $value } to { $path }: { $error }; this needs root
tuning-pool-short = asked the kernel for { $wanted } huge pages of { $huge } but it found only { $found } (memory is fragmented or short); try a smaller --size, or `sync; echo 3 > /proc/sys/vm/drop_caches` first
tuning-cannot-read = cannot read { $path }
tuning-restore-failed = could not restore { $path } to { $old }: { $error }; `shmlab clean` will try again, or restore it by hand

## limits: the prediction (src/experiment/limits.rs, src/model/limits.rs)
limits-overcommit-heuristic = { $size } is more than RAM + swap ({ $total }); with vm.overcommit_memory=0 the kernel refuses such a request outright (mm/util.c __vm_enough_memory); ask for less, add swap, or `sysctl vm.overcommit_memory=1`
limits-overcommit-strict = { $size } is more than the commit room left (about { $room }: CommitLimit − Committed_AS − reserves) under strict accounting, vm.overcommit_memory=2 (mm/util.c __vm_enough_memory); ask for less, add swap, or raise vm.overcommit_ratio
limits-bytes = { $n } bytes
limits-access-read = read
limits-access-write = write
limits-access-execute = execute
limits-access-nothing = nothing
limits-access-and = { " and " }
limits-key-words = key { $key }
limits-key-words-origin = key { $key } ({ $origin })
limits-enoent = no segment has { $key } and ⟨no_create⟩ leaves IPC_CREAT out, so shmget only looks the key up; drop --no-create to create it
limits-what-segment = segment { $shmid } ({ $size }, mode { $mode }, owner uid { $uid })
limits-eexist = { $key } already has { $what } and ⟨exclusive⟩ (IPC_CREAT|IPC_EXCL) insists on a new one; drop --exclusive to get its id, or remove it with `ipcrm -m { $shmid }`
limits-einval-smaller = { $key } has { $what }, smaller than the { $size } asked for, and the kernel never grows a segment (ipc/shm.c shm_more_checks); ask for at most { $max } bytes (0 will do), or remove it with `ipcrm -m { $shmid }` and create it anew
limits-class-owner = its owner
limits-class-group = a member of its group
limits-class-other = neither its owner nor in its group
limits-who-root = root
limits-who-uid = uid { $uid } or root
limits-eacces = { $key } has { $what }; you (uid { $uid }) are { $class }, so its mode grants you { $granted }, but ⟨mode⟩ { $mode } asks for { $asked } and you lack CAP_IPC_OWNER; run as { $who }, have its owner widen the mode (shmctl IPC_SET), or ask for less (--mode 0 asks for nothing)
limits-fits-existing = { $key } already has { $what }: shmget returns its id and creates nothing, so no limit on new segments applies
limits-fits-existing-huge = { $key } already has { $what }: shmget returns its id and creates nothing, so no limit on new segments applies (SHM_HUGETLB is ignored for a segment that exists)
limits-note-private-create = IPC_PRIVATE creates a new segment with or without IPC_CREAT (ipc/util.c ipcget)
limits-note-private-excl = IPC_EXCL means nothing with IPC_PRIVATE, which never finds an existing segment
limits-shmmin = a segment must have at least 1 byte (SHMMIN)
limits-shmmax = { $size } is over kernel.shmmax ({ $shmmax }); raise it with `sysctl kernel.shmmax={ $bytes }`
limits-numpages = { $bytes } bytes rounded up to whole { $page } pages is more than 2^64 − 1 bytes: the page count overflows and the kernel says ENOSPC before it looks at kernel.shmall (ipc/shm.c newseg); only a kernel.shmmax raised this close to 2^64 lets such a size through: `sysctl kernel.shmmax=18446744073692774399` (the default) turns it into EINVAL
limits-shmall = { $pages } pages on top of the { $in_use } in use exceed kernel.shmall ({ $shmall } pages); raise it with `sysctl kernel.shmall={ $total }`
limits-shmall-huge = { $pages } pages on top of the { $in_use } in use exceed kernel.shmall ({ $shmall } pages) (shmall counts the size in { $page } pages, huge pages or not); raise it with `sysctl kernel.shmall={ $total }`
limits-no-huge-size = this kernel has no { $huge } huge pages (no /sys/kernel/mm/hugepages/hugepages-{ $kib }kB), so the page size in the flags names nothing it knows (ipc/shm.c newseg); use --huge 2M, or boot with hugepagesz={ $huge }
limits-eperm = SHM_HUGETLB needs CAP_IPC_LOCK or membership of vm.hugetlb_shm_group ({ $group }) and you (uid { $uid }, gid { $gid }) have neither{ $userns }; a large RLIMIT_MEMLOCK no longer helps since Linux 5.16 (fs/hugetlbfs/inode.c hugetlb_file_setup); run as root or `sysctl vm.hugetlb_shm_group=$(id -g)`
limits-eperm-userns = { " " }(root inside a user namespace has CAP_IPC_LOCK only there, not in the initial namespace where the kernel looks)
limits-note-wraps = { $bytes } bytes rounded up to whole { $huge } pages wraps past 2^64 to 0, so the kernel reserves no huge page at all (ipc/shm.c newseg aligns without an overflow check; only a raised kernel.shmmax lets such a size through)
limits-surplus-room = { " " }and { $room } more may be added as surplus
limits-enomem-pool-one = needs { $need } huge page of { $huge }, { $free } are free and unreserved{ $surplus }; as root `{ $command }` (`shmlab memory --reserve-hugepages` raises the pool for one run)
limits-enomem-pool = needs { $need } huge pages of { $huge }, { $free } are free and unreserved{ $surplus }; as root `{ $command }` (`shmlab memory --reserve-hugepages` raises the pool for one run)
limits-note-surplus = { $extra } of the { $need } huge pages must be added as surplus pages (vm.nr_overcommit_hugepages), which the kernel does now if it finds the free memory
limits-lfs = { $size } is larger than the largest file the kernel can set up (MAX_LFS_FILESIZE, 2^63−1 bytes), and every SysV segment is a shmem file (mm/shmem.c __shmem_file_setup); no setting changes that: ask for less than 2^63 bytes
limits-segments-one = 1 segment exists
limits-segments-many = { $n } segments exist
limits-shmmni = { $segments } and kernel.shmmni is { $shmmni }; remove some (ipcs -m, ipcrm -m ID) or raise it with `sysctl kernel.shmmni={ $next }`
limits-fits-huge = enough huge pages are free in the pool
limits-fits-accounting = the memory accounting (vm.overcommit_memory) allows it
limits-fits-one = under kernel.shmmax, { $pages } page fits in kernel.shmall, { $free } of { $shmmni } segment ids are free, and { $last }
limits-fits-many = under kernel.shmmax, { $pages } pages fit in kernel.shmall, { $free } of { $shmmni } segment ids are free, and { $last }
limits-fits-keyed = no segment has { $key } yet, so shmget creates one: { $why }
limits-refuse-memory = ⟨size⟩ { $size }: shmget would fail with { $errno } because of { $by }: { $why }
limits-check-too-large = ⟨check⟩ { $size }: larger than size_t on this machine
limits-try-object = segment { $id } that ⟨try⟩ created
limits-try-hint = remove it with `ipcrm -m { $id }` or `shmlab clean`
limits-demo-needs-root = ⟨demo⟩ changes kernel.shm* for a moment and needs root; run it as root
limits-bad-key = { $text } is not a key: write it as ipcs prints it (0x00001234), in decimal, or IPC_PRIVATE
limits-bad-mode = { $text } is not a mode: write permission bits in octal, 0 to 777 (e.g. 600, 0644)
limits-only-with-check = { $param } is only for { $check }: add { $check } SIZE
limits-contradict = { $exclusive } and { $no_create } contradict each other: IPC_EXCL means nothing without IPC_CREAT
limits-key-or-path = give { $key } or { $key_path }, not both
limits-ftok-zero = { $key_path } { $path } { $proj_id } { $value }: ftok gave key 0, which is IPC_PRIVATE; pick another { $proj_id }
limits-disagreement = --try: the kernel said { $said } where shmlab predicted { $predicted }; the prediction is wrong on this machine, please report it with the output of `shmlab limits --check ... --try --json -`

## limits --demo: the refusals anyone can cause (src/experiment/refusals.rs)
limits-control-page = the control page
limits-case-lower = a normal user lowers kernel.shmmax
limits-why-lower = /proc/sys/kernel/shmmax is mode 0644 and owned by root: only root changes the limits (run `limits --demo` as root to see each limit refuse a segment)
limits-case-huge = one 2 MiB huge page segment
limits-why-huge-eperm = SHM_HUGETLB needs CAP_IPC_LOCK or membership of the group in vm.hugetlb_shm_group (hugetlb_file_setup); since Linux 5.16 no memlock ulimit lets a user in
limits-why-huge-enomem = no free 2 MiB page in the pool: the reservation at shmget time fails (hugetlb_reserve_pages)
limits-why-huge-ok = this caller may use huge pages and the pool has a free page
limits-case-exists = EEXIST after a killed IPC_EXCL run
limits-call-exists = shmget({ $key }, 4096, IPC_CREAT|IPC_EXCL|0600) after SIGKILL of its creator
limits-said-child-failed = not tried: the child could not create the segment ({ $errno })
limits-why-exists-forced = kernel.shm_rmid_forced is 1 here: the kernel destroyed the killed creator's segment when it exited (nobody had it attached), so the key was free again; with 0, the default, the rerun gets EEXIST
limits-why-exists = a SysV segment outlives the process that made it; the killed run's segment still holds the key, so a rerun with IPC_EXCL is refused until someone removes it (shmlab did here, as `shmlab clean` does after a real kill)
limits-case-permission = a segment that does not grant the access asked for
limits-why-permission-owner = this process has CAP_IPC_OWNER over its IPC namespace (root of a user namespace), which ipcperms lets through every mode, and cannot become another user here; run as a normal user, or as root of the machine, to see EACCES
limits-said-create-failed = not tried: creating the segment failed ({ $errno })
limits-call-as-nobody = as nobody (uid 65534): shmget({ $key }, 0, 0600) on root's 0600 segment
limits-why-as-nobody = ipcperms compares the mode bits the caller asks for with the segment's: nobody is neither owner nor group, and the segment grants others nothing
limits-call-own-0400 = shmget({ $key }, 0, 0600) on one's own 0400 segment
limits-why-own-0400 = ipcperms compares the bits asked for (read and write) with what the segment grants its owner (read only); root would pass anyway (CAP_IPC_OWNER)
limits-case-removed = a semaphore set removed while a process waits on it
limits-call-removed = semop(semid, { "{" }0, -2, 0{ "}" }) asleep, then semctl(semid, 0, IPC_RMID)
limits-call-removed-unseen = semop(semid, { "{" }0, -2, 0{ "}" }) asleep (not seen asleep), then semctl(semid, 0, IPC_RMID)
limits-why-removed = the sleeper wakes up to a set that no longer exists (do_semtimedop); a shared memory segment removed while attached is only marked `dest` instead, and goes at its last detach

## limits: the table (src/report/table/limits.rs)
limits-no-limit-default = no limit: 2^64 − 2^24 − 1 bytes, the default since Linux 3.16
limits-no-limit-about = no limit in practice: about 2^{ $exponent } bytes
limits-one-page = 1 page
limits-pages = { $n } pages
limits-unlimited = unlimited
limits-req-huge = huge { $huge }
limits-req-key = , key { $key }
limits-req-flags = , { $flags }
limits-verdict-fits = --check { $size } ({ $request }): fits: { $why }
limits-verdict-blocked = --check { $size } ({ $request }): does NOT fit: { $by } stops it, shmget would return { $errno }. { $why }
limits-try-created = ok: shmid { $id } (created, removed again)
limits-try-existed = ok: shmid { $id } (it existed; left alone)
limits-try-predicted = predicted
limits-try-kernel-said = kernel said
limits-try-agree = agree
limits-yes = yes
limits-no = NO
limits-try-wrong = NO: the prediction is wrong
limits-shmmax-means = largest single SysV segment (EINVAL above)
limits-shmmax-value = { $bytes } ({ $meaning })
limits-shmall-no-limit = more than 2^64 bytes: no limit in practice
limits-shmall-value = { $pages } pages = { $bytes }
limits-shmall-means = all SysV segments together, in pages (ENOSPC above)
limits-shmmni-means = how many SysV segments may exist (ENOSPC at the limit)
limits-segments-now = segments now
limits-segments-value = { $segments } using { $pages } pages
limits-from = from { $source }
limits-nr-hugepages-means = 2 MiB huge pages in the pool (reserved up front)
limits-pool = pool { $size }
limits-pool-value = { $nr } total, { $free } free, { $reserved } reserved, { $surplus } surplus
limits-hugetlb-group-means = group allowed SHM_HUGETLB without CAP_IPC_LOCK
limits-rmid-forced-means = 1: the last detach destroys a segment
limits-dev-shm-value = { $used } used of { $size }
limits-dev-shm-means = tmpfs for POSIX shm_open and named semaphores
limits-memlock-value = soft { $soft }, hard { $hard }
limits-memlock-means = how much a process may lock (SHM_LOCK, mlock)
limits-sem-means = SEMMSL per set, SEMMNS total, SEMOPM per semop, SEMMNI sets
limits-sem-sets-now = semaphore sets now
limits-col-limit = limit
limits-col-was = was
limits-col-lowered-to = lowered to
limits-col-asked-for = asked for
limits-col-expected = expected
limits-col-kernel-said = kernel said
limits-col-restored = restored
limits-demo-title = Each limit lowered for a moment (for this whole IPC namespace) and restored:
limits-refusals-title = The kernel's own refusals, caused for real on shmlab's objects:
limits-refusal-said = kernel said { $said }, expected { $expected }
limits-refusal-unexpected = kernel said { $said }, expected { $expected } (UNEXPECTED)

## The chart in the report's list of charts
memory-chart = Where the memory went
